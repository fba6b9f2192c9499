"""Search library: documents in, ranked results out. Never imports ``registry``.

The registry constructs one backend per process with :func:`open_backend` and calls it from any thread.
"""

from __future__ import annotations

from pathlib import Path

from search.model import (
    FACET_FIELDS,
    IndexArticle,
    IndexDocument,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResult,
    Suggestion,
    UnsupportedQuery,
)


def open_backend(url: str | None, data_dir: Path, key: str | None = None) -> SearchBackend:
    """The configured backend: embedded (``url`` None or empty) under ``data_dir/search``, or Meilisearch.

    ``url`` is ``NORMREG_SEARCH_URL`` and ``key`` ``NORMREG_SEARCH_KEY``; ``data_dir`` is
    ``NORMREG_DATA_DIR``. Raises ValueError for a URL scheme it does not know.
    """
    if not url:
        from search.embedded import EmbeddedBackend

        return EmbeddedBackend(Path(data_dir) / "search")
    if url.startswith(("http://", "https://")):
        from search.meili import MeiliBackend

        return MeiliBackend(url, key)
    raise ValueError(f"unsupported search URL {url!r}: leave it empty for the embedded engine or use http(s)://")


__all__ = [
    "FACET_FIELDS",
    "IndexArticle",
    "IndexDocument",
    "SearchBackend",
    "SearchHit",
    "SearchQuery",
    "SearchResult",
    "Suggestion",
    "UnsupportedQuery",
    "open_backend",
]
