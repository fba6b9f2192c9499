"""Type-ahead of the embedded engine: titles and 文号 containing what was typed.

Only document records are searched (an article never suggests), ordered by relevance times the prior,
so documents in force and pinned ones come first among equal matches.
"""

from __future__ import annotations

import tantivy
from tantivy import Occur, Query

from search.embedded.queries import Fields, run_query
from search.embedded.schema import DOC, load_payload
from search.model import Suggestion
from search.normalize import normalize
from search.tokenize import runs

SUGGEST_FIELDS = Fields((("title", 3.0), ("docno", 2.0)), "words")
MAX_PREFIX_CHARS = 100  # longer input is not a prefix being typed
MAX_SUGGESTIONS = 50


def suggestions(schema: tantivy.Schema, searcher: tantivy.Searcher, prefix: str, limit: int = 8) -> list[Suggestion]:
    """Up to ``limit`` documents whose title or 文号 holds every run of ``prefix``, the last character
    treated as a prefix."""
    rs = runs(normalize((prefix or "")[:MAX_PREFIX_CHARS]))
    if not rs:
        return []
    present = [p for p in (run_query(schema, r, SUGGEST_FIELDS) for r in rs) if p is not None]
    if not present:
        return []
    clauses: list[tuple[Occur, Query]] = [(Occur.Must, p) for p in present]
    clauses.append((Occur.Must, Query.const_score_query(Query.term_query(schema, "kind", DOC), 0.0)))
    res = searcher.search(Query.boolean_query(clauses), limit=max(1, min(limit, MAX_SUGGESTIONS)), count=False,
                          weight_by_field="weight")
    out = []
    for _, addr in res.hits:
        p = load_payload(searcher.doc(addr))
        out.append(Suggestion(id=p["id"], title=p["title"], doc_number=p.get("doc_number")))
    return out


__all__ = ["SUGGEST_FIELDS", "suggestions"]
