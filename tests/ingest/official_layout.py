"""Moved to ``scripts.typeset`` (one typesetter for the demo and these tests); re-exported for old imports."""

from scripts.typeset import CN_DIGITS, FONT, OfficialDoc, official_docs, render_docx, render_pdf, render_text

__all__ = ["CN_DIGITS", "FONT", "OfficialDoc", "official_docs", "render_docx", "render_pdf", "render_text"]
