"""The tantivy schema of the embedded engine and how an IndexDocument becomes records.

Each document becomes one *document record* (title, 文号, all headings, the whole body) and one *article
record* per article (第X条). Document records decide what matches (a keyword query means all terms
anywhere in the document), carry the totals and the facets; article records rank documents by their best
article and name it. Both carry the filter and ranking fields, so filters apply at either level.

Text fields hold pre-tokenised bigram streams (see :mod:`search.tokenize`) split by tantivy's whitespace
tokenizer, so positions are bigram positions and phrase queries find exact substrings. Original text is
kept in a stored JSON payload for snippets; nothing is read back from the bigram fields.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import orjson
import tantivy

from ingest.docnumber import normalize_doc_number
from search.model import IndexDocument
from search.normalize import normalize
from search.ranking import prior, tantivy_weight
from search.tokenize import index_stream, word_stream

SCHEMA_VERSION = 1
DOC, ARTICLE = 0, 1
TEXT_FIELDS = ("title", "docno", "heading", "body")
EPOCH = date(1970, 1, 1)
NO_DAY = -(10**6)  # documents without a publication date sort last when newest comes first


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("kind", indexed=True, fast=True)
    sb.add_unsigned_field("key", indexed=True, fast=True)
    sb.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("words", tokenizer_name="whitespace", index_option="position")
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


def records(doc: IndexDocument, schema: tantivy.Schema, today: date | None = None) -> list[tantivy.Document]:
    """The document record followed by one record per article."""
    key = doc_key(doc.id)
    weight = tantivy_weight(prior(doc.status, doc.publication_date, doc.pinned, today))
    common: dict[str, Any] = {
        "key": key,
        "id": doc.id,
        "status": doc.status,
        "day": day_number(doc.publication_date),
        "weight": weight,
    }
    if doc.issuer:
        common["issuer"] = doc.issuer
    if doc.category:
        common["category"] = doc.category
    if doc.publication_date is not None:
        common["year"] = doc.publication_date.year

    title_text = " ".join([doc.title, *doc.aliases])
    headings = list(dict.fromkeys(a.heading for a in doc.articles if a.heading))
    norm_body = normalize(doc.body)
    payload = {"id": doc.id, "title": doc.title, "doc_number": doc.doc_number, "body": doc.body,
               "version": doc.version}
    head: dict[str, Any] = {
        **common,
        "kind": DOC,
        "title": index_stream(normalize(title_text)),
        "heading": index_stream(normalize(" ".join(headings))),
        "body": index_stream(norm_body),
        "words": word_stream(normalize(title_text + " " + (doc.doc_number or "")) + " " + norm_body),
        "payload": orjson.dumps(payload),
    }
    if doc.doc_number:
        head["docno"] = index_stream(normalize(doc.doc_number))
        head["docno_exact"] = normalize_doc_number(doc.doc_number)
    out = [tantivy.Document.from_dict(head, schema)]
    for article in doc.articles:
        norm_text = normalize(article.text)
        rec: dict[str, Any] = {
            **common,
            "kind": ARTICLE,
            "body": index_stream(norm_text),
            "words": word_stream(norm_text),
            "payload": orjson.dumps({"number": article.number, "text": article.text}),
        }
        if article.heading:
            rec["heading"] = index_stream(normalize(article.heading))
        out.append(tantivy.Document.from_dict(rec, schema))
    return out


def load_payload(doc: tantivy.Document) -> dict[str, Any]:
    raw = doc.to_dict().get("payload", [b"{}"])[0]
    result: dict[str, Any] = orjson.loads(bytes(raw))
    return result
