"""One typesetter for Chinese official documents (GB/T 9704) and their web copies.

It sets the bundled demo documents (``scripts/make_demo.py``) and the official-layout extraction tests
(``official_docs``: real gov.cn texts set as an office prints them), so what the tests prove about
extraction holds for the files the demo ships. Every writer takes an ``OfficialDoc`` and a path and
returns the path; the same document always gives the same bytes.
"""

from scripts.typeset.document import CN_DIGITS, FONT, OfficialDoc, classify, date_ar, plain
from scripts.typeset.govcn import official_docs
from scripts.typeset.paper import render_docx, render_pdf
from scripts.typeset.web import render_html, render_markdown, render_text

__all__ = [
    "CN_DIGITS", "FONT", "OfficialDoc", "classify", "date_ar", "official_docs", "plain", "render_docx",
    "render_html", "render_markdown", "render_pdf", "render_text",
]
