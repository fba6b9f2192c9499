"""Article mode of the embedded engine: articles ranked as articles, with their document's score as a prior.

Two candidate sets are ranked together, on one snapshot of the articles index:

- the best :data:`ARTICLE_POOL` articles by their own BM25 (article text, chapter heading and the
  document's title; validity/recency prior of the document as tantivy's field weight);
- the articles of the best :data:`PRIOR_DOCS` documents of the document ranking (the same query plan,
  :class:`search.embedded.ranking.Ranker`), so a document that answers the question lifts its articles
  even when other laws share more words with them.

They are ranked by a learned weighted sum of eight features of each candidate: its own score and ranks,
its document's score and rank, how much of its document matches (:mod:`search.embedded.article_features`;
until issue 17, normalised article score + 0.5 × normalised document score). The weights and constants
were chosen on the training part of the STARD questions (``bench/splits.py``), never on the set-aside part;
figures in docs/benchmarks.md.

The question plan is :func:`search.query.plan_query`'s, turned into term queries only (no query
syntax). ``articles="in_force"`` keeps articles whose document is in force or partially invalid and
which have not lost effect by today.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import tantivy
from tantivy import Occur, Order, Query

from search.embedded.article_features import candidate_features, learned_score
from search.embedded.articles import ArticleIndex, load_article
from search.embedded.queries import Fields, filters, run_parts, term_parts
from search.embedded.ranking import Ranker, doc_keys
from search.embedded.schema import day_number
from search.model import MAX_RESULT_WINDOW, SearchHit, SearchQuery, SearchResult
from search.query import QueryPlan
from search.snippets import make_snippet
from search.tokenize import tokens_for_query_run

#: Weight of a learned legal term (search/lay_legal_terms.json) in an article query: chosen on the training
#: part only, by its article Recall@10 (the figures are in docs/benchmarks.md, "STARD after the session-6 merge").
ARTICLE_EXPANSION_WEIGHT = 0.5

# heading and title at half the text's weight: best of 0.5/1/2 on the tuning part (docs/benchmarks.md)
ART_FIELDS = Fields((("a_text", 1.0), ("a_heading", 0.5), ("a_title", 0.5)), "a_words")
LAW_NAME_BOOST = 4.0  # a law named in 《》 lifts its own articles
ARTICLE_POOL = 500  # best articles by their own score, ranked with the prior
PRIOR_DOCS = 30  # best documents whose articles are ranked too
PRIOR_DOC_ARTICLES = 1000  # at most this many of their matching articles, best first
IN_FORCE_DOC_STATUSES = ("in_force", "partially_invalid")  # documents whose articles can be in force


@dataclass(slots=True)
class _Cand:
    score: float
    addr: tantivy.DocAddress
    key: int


def _sum(queries: list[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.disjunction_max_query(queries, tie_breaker=1.0)


def article_query(schema: tantivy.Schema, plan: QueryPlan, q: SearchQuery, today: date) -> Query | None:
    """The articles matching ``plan`` under ``q``'s filters; None when the plan can match nothing.

    Every term of a question counts here: leaving out common ones, as the document query does for speed,
    lost article recall on the tuning part (R@10 0.464 → 0.474, R@100 0.727 → 0.738 when kept).

    In a question, quoted text is the asker's emphasis (“买卖”, “名为保理实为借贷”), not a phrase an article
    must hold verbatim: its bigrams are scored like the other terms. Requiring it left 21 of the 891
    training questions with almost no article found (Recall@100 0.07 → 0.46 on them; docs/benchmarks.md,
    "Article mode, constants re-chosen on the training part"). Keyword queries still require their phrases.
    """
    clauses: list[tuple[Occur, Query]] = []
    question = plan.mode == "best" and not plan.fell_back  # a relaxed keyword query keeps its quotes required
    if not question:
        for clause in plan.required:  # every phrase of a keyword query, in the article or its heading/title
            for run in clause.runs:
                parts = run_parts(schema, run, ART_FIELDS)
                if parts:
                    clauses.append((Occur.Must, _sum(parts)))
    if plan.mode == "best":  # a question's terms (and its quoted runs' bigrams) are scored, none required
        quoted = [t for c in plan.required for r in c.runs for t in tokens_for_query_run(r)] if question else []
        parts = [p for t in dict.fromkeys([*plan.terms, *quoted]) for p in term_parts(schema, t, ART_FIELDS)]
        if parts:
            clauses.append((Occur.Must, Query.boolean_query([(Occur.Should, p) for p in parts])))
    if not clauses:
        return None
    for clause in plan.excluded:
        for run in clause.runs:
            parts = run_parts(schema, run, ART_FIELDS)
            if parts:
                clauses.append((Occur.MustNot, _sum(parts)))
    for t in plan.expansions:  # learned legal terms for the lay words: score when present, never required
        clauses.extend((Occur.Should, Query.boost_query(p, ARTICLE_EXPANSION_WEIGHT))
                       for p in term_parts(schema, t, ART_FIELDS))
    for name in plan.law_names:
        parts = run_parts(schema, "".join(name.split()), Fields((("a_title", LAW_NAME_BOOST),), "a_words"))
        clauses.extend((Occur.Should, p) for p in parts)
    clauses += [(Occur.Must, f) for f in filters(schema, q)]
    if q.articles == "in_force":
        clauses.append((Occur.Must, Query.const_score_query(
            Query.term_set_query(schema, "status", list(IN_FORCE_DOC_STATUSES)), 0.0)))
        clauses.append((Occur.Must, Query.const_score_query(Query.range_query(
            schema, "void_day", tantivy.FieldType.Integer, day_number(today) + 1, 10**9), 0.0)))
    return Query.boolean_query(clauses)


def search_articles(articles: ArticleIndex, ranker: Ranker, doc_searcher: tantivy.Searcher, plan: QueryPlan,
                    query: SearchQuery, today: date | None = None) -> SearchResult:
    """One page of article hits for ``plan`` (total: every matching article)."""
    today = today or date.today()
    per_page = max(1, min(int(query.per_page), 100))
    offset = (max(1, int(query.page)) - 1) * per_page
    want = min(offset + per_page, MAX_RESULT_WINDOW)
    searcher = articles.index.searcher()
    aq = article_query(articles.schema, plan, query, today) if not plan.is_empty else None
    if aq is None:
        return SearchResult(total=0, hits=[])
    if query.sort in ("newest", "oldest"):
        order = Order.Asc if query.sort == "oldest" else Order.Desc
        res = searcher.search(aq, limit=want, count=True, order_by_field="day", order=order)
        ranked = [_Cand(0.0, addr, 0) for _, addr in res.hits]
    else:
        res = searcher.search(aq, limit=max(ARTICLE_POOL, want), count=True, weight_by_field="weight")
        ranked = _with_document_prior(articles, ranker, doc_searcher, searcher, aq, plan, query, list(res.hits))
    hits = [_hit(searcher, c, plan, query) for c in ranked[offset:want]]
    return SearchResult(total=int(getattr(res, "count", 0) or 0), hits=hits)


@dataclass(slots=True)
class Candidates:
    """The candidate articles of one question and what ranks them (see :mod:`search.embedded.article_features`)."""

    scores: list[float]  # own score of each candidate (BM25 × the document's prior)
    addrs: list[tantivy.DocAddress]
    keys: list[int]  # document key of each candidate
    doc_norm: dict[int, float]  # normalised final score of the document ranking's best documents
    doc_rank: dict[int, int]  # their rank


def article_candidates(articles: ArticleIndex, ranker: Ranker, doc_searcher: tantivy.Searcher,
                       searcher: tantivy.Searcher, aq: Query, plan: QueryPlan, query: SearchQuery,
                       pool: list[tuple[float, tantivy.DocAddress]]) -> Candidates:
    """``pool`` (the best articles by their own score) and the matching articles of the PRIOR_DOCS best
    documents of the document ranking, once each, with that ranking's scores and ranks."""
    doc_query = replace(query, unit="document", articles="all", with_facets=False, sort="relevance", page=1,
                        per_page=PRIOR_DOCS)
    ranked_docs = ranker.evaluate(doc_searcher, searcher, plan, doc_query, PRIOR_DOCS).cands[:PRIOR_DOCS]
    doc_keys_ranked = doc_keys(doc_searcher, [c.doc_addr for c in ranked_docs if c.doc_addr is not None])
    top_doc = max((c.doc_score for c in ranked_docs), default=0.0) or 1.0
    doc_norm: dict[int, float] = {}
    doc_rank: dict[int, int] = {}
    for rank, (k, c) in enumerate(zip(doc_keys_ranked, ranked_docs, strict=True)):
        doc_norm.setdefault(k, c.doc_score / top_doc)
        doc_rank.setdefault(k, rank)
    if doc_norm:
        within = Query.const_score_query(Query.disjunction_max_query(
            [Query.term_query(articles.schema, "key_term", str(k)) for k in doc_norm], tie_breaker=0.0), 0.0)
        restricted = Query.boolean_query([(Occur.Must, aq), (Occur.Must, within)])
        pool = pool + list(searcher.search(restricted, limit=PRIOR_DOC_ARTICLES, count=False,
                                           weight_by_field="weight").hits)
    seen: dict[tuple[int, int], tuple[float, tantivy.DocAddress]] = {}
    for score, addr in pool:
        seen.setdefault((addr.segment_ord, addr.doc), (float(score), addr))
    unique = list(seen.values())
    keys = [int(k or 0) for k in searcher.fast_field_values("key", [a for _, a in unique])]
    return Candidates([s for s, _ in unique], [a for _, a in unique], keys, doc_norm, doc_rank)


def _with_document_prior(articles: ArticleIndex, ranker: Ranker, doc_searcher: tantivy.Searcher,
                         searcher: tantivy.Searcher, aq: Query, plan: QueryPlan, query: SearchQuery,
                         pool: list[tuple[float, tantivy.DocAddress]]) -> list[_Cand]:
    """The candidates, best first by the learned score of their features."""
    c = article_candidates(articles, ranker, doc_searcher, searcher, aq, plan, query, pool)
    feats = candidate_features(c.scores, c.keys, c.doc_norm, c.doc_rank, ARTICLE_POOL)
    cands = [_Cand(learned_score(f), a, k) for f, a, k in zip(feats, c.addrs, c.keys, strict=True)]
    cands.sort(key=lambda x: x.score, reverse=True)
    return cands


def _hit(searcher: tantivy.Searcher, c: _Cand, plan: QueryPlan, query: SearchQuery) -> SearchHit:
    payload = load_article(searcher.doc(c.addr))
    snippet = make_snippet(payload["text"], plan.highlight_terms()) if query.with_snippets else None
    void = payload.get("void_from")
    return SearchHit(id=payload["id"], score=round(c.score, 6), snippet=snippet, article=payload["number"],
                     ordinal=payload.get("ordinal"), heading=payload.get("heading"),
                     article_void_from=date.fromisoformat(void) if void else None)


__all__ = ["ARTICLE_POOL", "PRIOR_DOCS", "Candidates", "article_candidates", "article_query", "search_articles"]
