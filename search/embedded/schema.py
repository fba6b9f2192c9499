"""The tantivy schema of the embedded engine's document index and how an IndexDocument becomes its record.

Each document becomes one *document record* (title, 文号, all headings, the whole body): it decides what
matches (a keyword query means all terms anywhere in the document), carries the totals, the facets and
the filter fields. A document's articles (第X条) are indexed once, in the articles index
(:mod:`search.embedded.articles`), which serves both the article stage of the document ranking (best
article per document) and article mode. Until schema version 5 the document index held a second copy of
every article as article records of its own; indexing the same text twice cost a bulk import a third of
its index CPU (docs/benchmarks.md, "One copy of each article").

Text fields hold pre-tokenised bigram streams (see :mod:`search.tokenize`) split by tantivy's whitespace
tokenizer, so positions are bigram positions and phrase queries find exact substrings. Original text is
kept in a stored JSON payload for snippets; nothing is read back from the bigram fields.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
import tantivy

from ingest.docnumber import normalize_doc_number
from search.model import IndexArticle, IndexDocument
from search.normalize import is_separator, normalize
from search.ranking import prior, tantivy_weight
from search.tokenize import index_stream, word_stream

SCHEMA_VERSION = 5  # 4: the sample field (bounded counting); 5: no article records (one copy, in the articles index)
DOC = 0  # the kind of every record (article records, kind 1, were dropped in version 5)
SAMPLE_BUCKETS = 64  # values of the sample field: a bucket is 1/64 of the documents
TEXT_FIELDS = ("title", "docno", "heading", "body", "words")
EPOCH = date(1970, 1, 1)
SNIPPET_TEXT_CHARS = 20_000  # stored text outside articles, for snippets of hits without an article
NO_DAY = -(10**6)  # documents without a publication date sort last when newest comes first


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("kind", indexed=True, fast=True)
    # The document key twice: a fast field to group hits by document, and a term to restrict a query to
    # a set of documents (a term set over the fast field scans the whole column; docs/benchmarks.md).
    sb.add_unsigned_field("key", indexed=False, fast=True)
    sb.add_text_field("key_term", tokenizer_name="raw", index_option="basic")
    # Document records only: key % SAMPLE_BUCKETS, a uniform pseudo-random split of the documents, so a
    # range of buckets is a sample on which very broad match sets are counted (search.embedded.facets).
    sb.add_unsigned_field("sample", indexed=True)
    sb.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("docno_exact", tokenizer_name="raw", index_option="basic")
    for name in ("status", "issuer", "category"):
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_unsigned_field("year", indexed=True, fast=True)
    sb.add_integer_field("day", indexed=True, fast=True)
    sb.add_float_field("weight", fast=True)
    sb.add_bytes_field("payload", stored=True)
    return sb.build()


def doc_key(doc_id: str) -> int:
    """A stable 63-bit number for an id: fast fields are numeric, and article hits group by it."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def day_number(d: date | None) -> int:
    return (d - EPOCH).days if d is not None else NO_DAY


@dataclass(frozen=True, slots=True)
class Tokens:
    """A document's text tokenised once, for the records of both indexes (this one and the articles index).

    The articles index (:mod:`search.embedded.articles`) indexes the article texts, headings and title
    that this index's body holds too; building both from these streams instead of tokenising again gives
    the same field values at half the cost.
    """

    title: str  # stream of the title and its aliases
    headings: dict[str, str]  # stream of each distinct chapter heading
    forms: list[str]  # normal form of each article's text
    streams: list[str]  # bigram stream of each article's text
    words: list[str]  # word stream of each article's text


def tokens_of(doc: IndexDocument) -> Tokens:
    forms = [normalize(a.text) for a in doc.articles]
    return Tokens(title=_stream(" ".join([doc.title, *doc.aliases])),
                  headings={h: _stream(h) for h in dict.fromkeys(a.heading for a in doc.articles if a.heading)},
                  forms=forms, streams=[index_stream(f) for f in forms], words=[word_stream(f) for f in forms])


def record_dicts(doc: IndexDocument, today: date | None = None, tokens: Tokens | None = None) -> list[dict[str, Any]]:
    """Field values of the document record of ``doc`` (a list of one: the shape the writer adds): plain
    data, so that worker processes can build them. Its articles go to the articles index only."""
    tok = tokens or tokens_of(doc)
    key = doc_key(doc.id)
    weight = tantivy_weight(prior(doc.status, doc.publication_date, doc.pinned, today))
    common: dict[str, Any] = {
        "key": key,
        "key_term": str(key),
        "weight": weight,
        "sample": key % SAMPLE_BUCKETS,
        "id": doc.id,
        "status": doc.status,
        "day": day_number(doc.publication_date),
    }
    if doc.issuer:
        common["issuer"] = doc.issuer
    if doc.category:
        common["category"] = doc.category
    if doc.publication_date is not None:
        common["year"] = doc.publication_date.year

    title_text = " ".join([doc.title, *doc.aliases])
    heading_streams = tok.headings
    art_forms, art_streams = tok.forms, tok.streams
    pieces = _body_pieces(doc.body, doc.articles, art_forms, art_streams)
    payload: dict[str, Any] = {"id": doc.id, "title": doc.title, "doc_number": doc.doc_number,
                               "version": doc.version}
    if pieces is None:  # articles not found in the body in order: tokenise the whole body
        body_form = normalize(doc.body)
        body_stream = index_stream(body_form)
        payload["body"] = doc.body[:SNIPPET_TEXT_CHARS]
    else:
        body_form = "".join(form for form, _ in pieces)
        body_stream = " ".join(stream for _, stream in pieces if stream)
        # Snippets of article hits come from the article records; keep only the text outside articles.
        payload["body"] = "\n".join(g for g in _gaps(doc.body, doc.articles) if g.strip())[:SNIPPET_TEXT_CHARS]
    head: dict[str, Any] = {
        **common,
        "kind": DOC,
        "title": tok.title,
        "heading": " ".join(heading_streams.values()),
        "body": body_stream,
        "words": word_stream(normalize(title_text + " " + (doc.doc_number or "")) + " " + body_form),
        "payload": orjson.dumps(payload),
    }
    if doc.doc_number:
        head["docno"] = _stream(doc.doc_number)
        head["docno_exact"] = normalize_doc_number(doc.doc_number)
    return [head]


def _stream(text: str) -> str:
    return index_stream(normalize(text))


def _gaps(body: str, articles: list[IndexArticle]) -> list[str]:
    """The text of ``body`` outside its articles (which _body_pieces has found in order)."""
    out, pos = [], 0
    for a in articles:
        i = body.find(a.text, pos)
        out.append(body[pos:i])
        pos = i + len(a.text)
    out.append(body[pos:])
    return out


def _body_pieces(body: str, articles: list[IndexArticle], forms: list[str],
                 streams: list[str]) -> list[tuple[str, str]] | None:
    """The body as (normal form, bigram stream) pieces: the gaps between articles and the articles.

    Reusing the article streams halves tokenisation. It is exact only when every article occurs in the
    body in order and every cut falls on a separator (no bigram spans a cut); otherwise None.
    """
    if not articles:
        return None
    out: list[tuple[str, str]] = []
    pos = 0
    for a, form, stream in zip(articles, forms, streams, strict=True):
        i = body.find(a.text, pos) if a.text else -1
        if i < 0:
            return None
        gap = normalize(body[pos:i])
        if not (_cut_ok(gap, form) and _cut_ok(form, body[i + len(a.text):i + len(a.text) + 1])):
            return None
        out.append((gap, index_stream(gap)))
        out.append((form, stream))
        pos = i + len(a.text)
    tail = normalize(body[pos:])
    out.append((tail, index_stream(tail)))
    return out


def _cut_ok(left: str, right: str) -> bool:
    """No unit pair spans the cut between ``left`` and ``right`` (and nothing can compose across it)."""
    if not left or not right:
        return True
    if unicodedata.combining(right[0]) or unicodedata.category(right[0]).startswith("M"):
        return False
    return is_separator(left[-1]) or is_separator(right[0])


def load_payload(doc: tantivy.Document) -> dict[str, Any]:
    raw = doc.to_dict().get("payload", [b"{}"])[0]
    result: dict[str, Any] = orjson.loads(bytes(raw))
    return result
