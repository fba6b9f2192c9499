"""Query plan → tantivy queries, built from term objects only (no query parser, so no syntax).

Field weights express "title above 文号 above headings above body". A run of two or more units is a
phrase of its bigrams; a single CJK character is the set of bigrams starting with it (the path for
one-character queries); a single Latin word is exact, prefix and typo-tolerant on the word field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import tantivy
from tantivy import Occur, Query

from search.embedded.schema import day_number
from search.model import SearchQuery
from search.query import QueryPlan
from search.tokenize import run_bigrams, units


@dataclass(frozen=True, slots=True)
class Fields:
    """Weighted bigram fields of one record kind, and its field of Latin/digit words."""

    weighted: tuple[tuple[str, float], ...]
    words: str


DOC_FIELDS = Fields((("title", 6.0), ("docno", 4.0), ("heading", 2.0), ("body", 1.0)), "words")
# A question's key terms decide the match on the body (which holds the title and headings too) and add
# score for the title; 文号 and heading fields only cost there (STARD unchanged without them).
QUESTION_MATCH_FIELDS = Fields((("body", 1.0),), "words")
QUESTION_TITLE_FIELDS = Fields((("title", 6.0),), "words")
# The best-article stage of the document ranking, on the articles index (search.embedded.articles).
ARTICLE_FIELDS = Fields((("a_heading", 1.5), ("a_text", 1.0)), "a_words")
EXACT_DOCNO_BOOST = 20.0  # a 文号 typed whole lifts its document above those that only share its parts
LAW_NAME_BOOST = 4.0  # a law named in 《》 lifts the document of that title above those citing it
# Question terms in more records than this are left out; other shares measured worse (docs/benchmarks.md).
COMMON_SHARE = 0.05
# A question's match set may exceed this many documents (by its terms' document frequencies) before its
# candidates are found by the flat union (broad_candidates); the ranker passes its exact-count threshold (facets.py).
BROAD_MATCHES = 10_000
COMMON_FALLBACK_TERMS = 4  # when every term of a question is common, this many of the rarest still rank
# Weight of a learned legal term (search.lexicon) against a term the user typed; figures: docs/benchmarks.md.
EXPANSION_WEIGHT = 1.0
#: Added to the idf of every question term in the document query (see :func:`question_term`); chosen on the
#: training part of the STARD questions (docs/benchmarks.md, "Question terms weighed by a shifted idf").
IDF_SHIFT = 3.0

Idf = Callable[[str, str], float]  # (field, term) -> BM25 idf of the term in that field of the document index


@dataclass(slots=True)
class Built:
    """The queries one search needs: documents (match set, facets) and articles (best article, on the
    articles index; only meaningful restricted to documents that matched ``docs``). ``broad``: for a plain question whose
    match set may be large, a flat union of its key terms that finds its best candidates fast (see
    :func:`broad_candidates`); None otherwise."""

    docs: Query
    articles: Query
    broad: Query | None = None


def _or(queries: list[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, q) for q in queries])


def _sum(queries: list[Query]) -> Query:
    """Matches any of ``queries``, scored by the sum of those that match, as :func:`_or` is; built for
    a query that another clause restricts to a few records.

    A disjunction-max query with tie-breaker 1 scores max + 1 × the rest, that is the sum, and tantivy
    evaluates it by moving each part to the next candidate record; a boolean union refills a window of
    4,096 records at every such move. The article query restricted to the candidate documents is
    markedly faster this way, with the same scores (docs/benchmarks.md).
    """
    if len(queries) == 1:
        return queries[0]
    return Query.disjunction_max_query(queries, tie_breaker=1.0)


def _single(schema: tantivy.Schema, field: str, unit: str) -> Query:
    if unit.isascii():
        return Query.term_query(schema, field, unit)
    return Query.regex_query(schema, field, re.escape(unit) + ".*")


def _word(schema: tantivy.Schema, word: str, field: str = "words") -> Query:
    """Latin words: exact first, then prefix and one or two typos for longer words."""
    if word.isdigit() or len(word) < 3:
        return Query.term_query(schema, field, word)
    distance = 0 if len(word) < 5 else (1 if len(word) < 9 else 2)
    return _or([
        Query.boost_query(Query.term_query(schema, field, word), 2.0),
        Query.fuzzy_term_query(schema, field, word, distance=distance, prefix=True),
    ])


def run_parts(schema: tantivy.Schema, run: str, fields: Fields) -> list[Query]:
    """One run (a phrase without punctuation): one query per weighted field (none for an empty run)."""
    us = units(run)
    if not us:
        return []
    if len(us) == 1:
        unit = us[0]
        if unit.isascii():
            return [_word(schema, unit, fields.words)]
        return [Query.boost_query(_single(schema, f, unit), w) for f, w in fields.weighted]
    grams = run_bigrams(us)
    per_field = []
    for f, w in fields.weighted:
        q = Query.term_query(schema, f, grams[0]) if len(grams) == 1 else Query.phrase_query(schema, f, list[str | tuple[int, str]](grams))
        per_field.append(Query.boost_query(q, w))
    return per_field


def run_query(schema: tantivy.Schema, run: str, fields: Fields) -> Query | None:
    """One run over weighted fields, matching in any of them."""
    parts = run_parts(schema, run, fields)
    return _or(parts) if parts else None


def _is_word(term: str) -> bool:
    """A single Latin/digit word among a question's terms (the others are bigrams)."""
    return "_" not in term and term.isascii()


def term_parts(schema: tantivy.Schema, term: str, fields: Fields) -> list[Query]:
    """One best-mode term (a bigram, or a single Latin word): one query per weighted field."""
    if _is_word(term):
        return [_word(schema, term, fields.words)]
    return [Query.boost_query(Query.term_query(schema, f, term), w) for f, w in fields.weighted]


def term_query(schema: tantivy.Schema, term: str, fields: Fields) -> Query:
    """One best-mode term over weighted fields, matching in any of them."""
    return _or(term_parts(schema, term, fields))


def _shift(idf: float) -> float:
    """The boost that turns a term's BM25 idf into idf + IDF_SHIFT."""
    return (idf + IDF_SHIFT) / max(idf, 1e-9)


def question_term(schema: tantivy.Schema, term: str, fields: Fields, idf: Idf | None) -> Query:
    """A question term over weighted fields, as :func:`term_query`, scored as BM25 with its idf shifted
    up by IDF_SHIFT in each field.

    Why: a question names several things, and a document holding all of them answers it better than
    one holding only the rarest. Plain BM25 gives a term found in most documents (备案审查 in a
    registry of filing notices) an idf near zero, so its presence adds almost nothing and a short
    document with the rare term alone ranks first. The shift gives every term present a weight of at
    least IDF_SHIFT × its tf part while keeping the order of rarity. Keyword queries are not shifted:
    their phrases are all required anyway. ``idf`` None (or a shift of 0) gives plain BM25.
    """
    if idf is None or IDF_SHIFT == 0:
        return term_query(schema, term, fields)
    if _is_word(term):
        return Query.boost_query(_word(schema, term, fields.words), _shift(idf(fields.words, term)))
    return _or([Query.boost_query(Query.term_query(schema, f, term), w * _shift(idf(f, term)))
                for f, w in fields.weighted])


def _any_of(schema: tantivy.Schema, field: str, values: list[str] | list[int]) -> Query:
    """Records whose ``field`` holds one of ``values``. One value (a click on a facet) is a term query:
    a term set walks the term dictionary, several times slower for one value (docs/benchmarks.md)."""
    if len(values) == 1:
        return Query.term_query(schema, field, values[0])
    return Query.term_set_query(schema, field, list(values))


def filters(schema: tantivy.Schema, q: SearchQuery) -> list[Query]:
    """The query's filter clauses (fields of document records only); they add no score."""
    out: list[Query] = []
    if q.statuses:
        out.append(_any_of(schema, "status", list(q.statuses)))
    if q.issuers:
        out.append(_any_of(schema, "issuer", list(q.issuers)))
    if q.categories:
        out.append(_any_of(schema, "category", list(q.categories)))
    if q.years:
        out.append(_any_of(schema, "year", [int(y) for y in q.years if 0 < int(y) < 10000]))
    if q.date_from is not None or q.date_to is not None:
        out.append(Query.range_query(
            schema, "day", tantivy.FieldType.Integer,
            day_number(q.date_from) if q.date_from else day_number(date(1, 1, 1)),
            day_number(q.date_to) if q.date_to else day_number(date(9999, 12, 31)),
        ))
    return [Query.const_score_query(f, 0.0) for f in out]


def min_should_match(n_terms: int) -> int:
    """How many key terms a document needs to count as a match for a question."""
    if n_terms <= 3:
        return 1
    return max(2, round(n_terms * 0.25))


def _key_terms(terms: list[str], share: Callable[[str], float] | None) -> list[str]:
    """The terms of a question that decide and score its matches: common ones are left out.

    A term found in more than COMMON_SHARE of the article records (政府, 规定 in a registry of government
    documents) says little about which document answers a question, yet gathering its matches means
    visiting most of the index (tantivy's union scorer reads whole posting lists). When a question has
    rarer terms, only they are used. Measured on STARD: quality unchanged within noise, questions far
    cheaper (docs/benchmarks.md).
    """
    if share is None or len(terms) < 2:
        return terms
    shares = {t: share(t) for t in terms}
    key = [t for t in terms if shares[t] <= COMMON_SHARE]
    if not key:  # every term is common: the rarest few still rank, the rest would only cost
        rarest = set(sorted(terms, key=shares.__getitem__)[:COMMON_FALLBACK_TERMS])
        key = [t for t in terms if t in rarest]
    return key


def build(schema: tantivy.Schema, article_schema: tantivy.Schema, plan: QueryPlan, q: SearchQuery,
          share: Callable[[str], float] | None = None, doc_freq: Callable[[str], int] | None = None,
          broad_from: int = BROAD_MATCHES, sample: Query | None = None, idf: Idf | None = None) -> Built | None:
    """None when the plan can match nothing (no usable terms).

    ``sample``: a clause selecting a sample of the document records; the document query then matches
    its matches among them only (facets.py counts broad sets so). It is applied inside each term of a
    question's minimum-match union too: tantivy's minimum-match scorer can only step through its
    documents one by one, so a sample applied only outside it would save nothing.

    ``schema`` is the document index's, ``article_schema`` the articles index's (the article query).
    ``share(term)`` is the fraction of article records holding a best-mode term (see _key_terms);
    ``doc_freq(term)`` the number of document records whose body holds it (see broad_candidates);
    ``idf(field, term)`` its idf in the document index, for the shifted idf of question terms
    (:func:`question_term`; None: plain BM25).
    """
    key: list[str] = []
    doc_must: list[Query] = []
    art_parts: list[Query] = []  # one query per term or run and field: the article query is their sum
    for clause in plan.required:
        parts = [run_query(schema, r, DOC_FIELDS) for r in clause.runs]
        present = [p for p in parts if p is not None]
        if not present:
            continue
        doc_must.append(present[0] if len(present) == 1 else
                        Query.boolean_query([(Occur.Must, p) for p in present]))
        for r in clause.runs:
            art_parts.extend(run_parts(article_schema, r, ARTICLE_FIELDS))
    doc_not: list[Query] = []
    for clause in plan.excluded:
        parts = [run_query(schema, r, DOC_FIELDS) for r in clause.runs]
        present = [p for p in parts if p is not None]
        if present:
            doc_not.append(present[0] if len(present) == 1 else
                           Query.boolean_query([(Occur.Must, p) for p in present]))

    subqueries: list[tuple[Occur, Query]] = [(Occur.Must, m) for m in doc_must]
    if plan.mode == "best" and plan.terms:
        key = _key_terms(plan.terms, share)
        body_terms = [question_term(schema, t, QUESTION_MATCH_FIELDS, idf) for t in key]
        if sample is not None:  # each term within the sample: the union then walks sampled documents only
            body_terms = [Query.boolean_query([(Occur.Must, t), (Occur.Must, sample)]) for t in body_terms]
        subqueries.append((Occur.Must, Query.boolean_query(
            [(Occur.Should, t) for t in body_terms], minimum_number_should_match=min_should_match(len(body_terms)))))
        # (a Latin word is matched in the one words field, title included: no second clause for it)
        subqueries.extend((Occur.Should, question_term(schema, t, QUESTION_TITLE_FIELDS, idf))
                          for t in key if not _is_word(t))
        for t in key:
            art_parts.extend(term_parts(article_schema, t, ARTICLE_FIELDS))
        # Learned legal terms only add score (never counted towards the terms a match needs); common
        # ones are left out as above.
        for t in plan.expansions:
            if share is not None and share(t) > COMMON_SHARE:
                continue
            subqueries.append((Occur.Should, Query.boost_query(question_term(schema, t, QUESTION_MATCH_FIELDS, idf),
                                                               EXPANSION_WEIGHT)))
            art_parts.extend(Query.boost_query(p, EXPANSION_WEIGHT)
                             for p in term_parts(article_schema, t, ARTICLE_FIELDS))
    if not subqueries:
        return None
    boosts: list[Query] = []
    for name in plan.law_names:
        lq = run_query(schema, "".join(name.split()), Fields((("title", LAW_NAME_BOOST),), "words"))
        if lq is not None:
            boosts.append(lq)
    if plan.doc_number:
        boosts.append(Query.boost_query(Query.term_query(schema, "docno_exact", plan.doc_number),
                                        EXACT_DOCNO_BOOST))
    doc_clauses = subqueries + [(Occur.Should, b) for b in boosts] + [(Occur.MustNot, n) for n in doc_not]
    doc_clauses += [(Occur.Must, f) for f in filters(schema, q)]
    if sample is not None:
        doc_clauses.append((Occur.Must, sample))
    docs = Query.boolean_query(doc_clauses)

    # No filters: articles are only searched within documents that matched ``docs``, filters included.
    articles = _sum(art_parts) if art_parts else Query.empty_query()
    broad = None
    if plan.mode == "best" and key:
        broad = broad_candidates(schema, plan, q, key, doc_freq, broad_from, idf)
    return Built(docs=docs, articles=articles, broad=broad)




def broad_candidates(schema: tantivy.Schema, plan: QueryPlan, q: SearchQuery, key: list[str],
                     doc_freq: Callable[[str], int] | None, broad_from: int = BROAD_MATCHES,
                     idf: Idf | None = None) -> Query | None:
    """For a plain question (key terms only: no phrase, exclusion, filter, 《law》 or 文号) that may match
    more than ``broad_from`` documents: the union of its body and title term queries, unnested.

    The document query (a minimum-should-match union under a required clause) has to score every
    match, which for a question over a broad collection is nearly every document. A flat union of term
    queries is the one shape tantivy ranks with block-max WAND, skipping blocks that cannot enter the
    top k: the best candidates by the same BM25 sum, in a fraction of the time, without requiring the
    minimum number of key terms (ranking.Ranker._broad_pool). Only on indexes far larger than the laws
    corpus, whose questions never take this path (docs/benchmarks.md, "Bounded counting").
    """
    if doc_freq is None or q.statuses or q.issuers or q.categories or q.years or q.date_from or q.date_to:
        return None
    if plan.required or plan.excluded or plan.law_names or plan.doc_number or any(_is_word(t) for t in key):
        return None
    # At most sum(df) / m documents hold m of the key terms: below the bound the usual path is cheap.
    if sum(doc_freq(t) for t in key) / max(1, min_should_match(len(key))) <= broad_from:
        return None
    parts = [question_term(schema, t, fields, idf) for fields in (QUESTION_MATCH_FIELDS, QUESTION_TITLE_FIELDS)
             for t in key]  # (single-field Fields: each part is one term query, the union stays flat)
    return Query.boolean_query([(Occur.Should, p) for p in parts])


def match_bound(plan: QueryPlan, doc_freq: Callable[[str, str], int]) -> int | None:
    """An upper bound on the documents a keyword query matches, from document frequencies alone (None
    when none is known cheaply). A run of two or more CJK units matches a document only if one field
    holds all its bigrams, so at most the sum over fields of its rarest bigram's frequency; every run
    is required. ``doc_freq(field, term)``. Lets facets.py skip its probe for narrow keyword queries."""
    if plan.mode != "all":
        return None
    found: list[int] = []
    for clause in plan.required:
        for run in clause.runs:
            us = units(run)
            if len(us) < 2 or any(u.isascii() for u in us):
                continue
            grams = run_bigrams(us)
            found.append(sum(min(doc_freq(f, g) for g in grams) for f, _ in DOC_FIELDS.weighted))
    return min(found) if found else None

