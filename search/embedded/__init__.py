"""The embedded engine (tantivy over character bigrams): nothing to start, files under the data dir."""

from search.embedded.engine import EmbeddedBackend

__all__ = ["EmbeddedBackend"]
