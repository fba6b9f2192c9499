"""Lookup keys: how a title, 文号 or registration number typed by anyone finds the stored document.

Keys are stored beside the original values (``title_key``, ``doc_number_key``, …) and indexed, so a
lookup by any bracket variant or spacing is one indexed equality, not a scan.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.docnumber import looks_like_doc_number, normalize_doc_number, normalize_registration_number

_STRIP = re.compile(r"[\s\u3000《》〈〉“”\"'「」]+")


def title_key(title: str) -> str:
    """Title folded for exact-title lookups: NFKC, no spaces or book-title marks, brackets unified."""
    folded = _STRIP.sub("", unicodedata.normalize("NFKC", title))
    return folded.replace("(", "（").replace(")", "）")


def cite(title: str, doc_number: str | None = None) -> str:
    """A citation as documents write it: 《title》（文号）, with inner 《》 turned into 〈〉."""
    inner = title.replace("《", "〈").replace("》", "〉")
    return f"《{inner}》（{doc_number}）" if doc_number else f"《{inner}》"


def doc_number_key(doc_number: str | None) -> str | None:
    return normalize_doc_number(doc_number) if doc_number and doc_number.strip() else None


def registration_number_key(number: str | None) -> str | None:
    return normalize_registration_number(number) if number and number.strip() else None


__all__ = ["cite", "doc_number_key", "looks_like_doc_number", "registration_number_key", "title_key"]
