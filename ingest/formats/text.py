"""Plain text and Markdown, with optional front matter.

The laws corpus and many exports are Markdown: ``**第一条**`` bold labels, ``#`` headings, ``>``
notes, ``-`` list items. Markup is stripped line by line so article labels start their lines again
and :func:`ingest.articles.split_articles` finds them. Front matter (``---`` / ``key: value`` /
``---``) becomes ``fields``: a file that states its own title or 文号 is believed over any guess.
"""

from __future__ import annotations

import re

from ingest.layout import Line, RawDocument, tidy

_FRONT_KEY = re.compile(r"^\s*([\w\u4e00-\u9fff\-]{1,40})\s*[:：]\s*(.*?)\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+\))\s+")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_EMPHASIS = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``(fields, body)``. Front matter is recognised only at the very start between ``---`` lines,
    and only when every line in it is ``key: value`` (so a horizontal rule is never eaten)."""
    if not text.startswith("---"):
        return {}, text
    lines = text.splitlines()
    if lines[0].strip() != "---":
        return {}, text
    fields: dict[str, str] = {}
    for i, line in enumerate(lines[1:60], start=1):
        if line.strip() in ("---", "..."):
            return fields, "\n".join(lines[i + 1:])
        m = _FRONT_KEY.match(line)
        if m is None:
            if not line.strip():
                continue
            return {}, text
        fields[m.group(1).strip().lower()] = m.group(2).strip().strip("\"'")
    return {}, text


def strip_markdown(line: str) -> tuple[str, bool]:
    """``(plain_text, was_heading_or_bold)`` for one Markdown line."""
    if _RULE.match(line):
        return "", False
    emphasised = bool(_HEADING.match(line)) or line.strip().startswith("**")
    line = _HEADING.sub("", line)
    line = _QUOTE.sub("", line)
    line = _LIST.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _HTML_BREAK.sub(" ", line)
    line = _EMPHASIS.sub("", line)
    return line, emphasised


def read_text(text: str, *, markdown: bool) -> RawDocument:
    """Lines of a text or Markdown document. Markdown headings and bold lines are marked ``bold``
    (the title of a Markdown law is its first bold line)."""
    fields, body = split_front_matter(text)
    lines: list[Line] = []
    for raw in body.splitlines():
        if markdown:
            plain, emphasised = strip_markdown(raw)
        else:
            plain, emphasised = raw, False
        lines.append(Line(text=tidy(plain) if _is_short(plain) else plain.strip(), bold=emphasised))
    return RawDocument(source_format="md" if markdown else "txt", lines=lines, fields=fields)


def _is_short(text: str) -> bool:
    # Spacing inside short lines is typographic (总　　则); inside long ones it may be meaningful.
    return len(text.strip()) <= 40
