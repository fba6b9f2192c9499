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
_MARKUP_CHARS = re.compile(r"^\s*[#>\-*+_\d]|[*_\[<]")
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
    """``(plain_text, was_heading_or_bold)`` for one Markdown line.

    Each rule runs only when its marker character is present: the laws corpus has 570,000 lines
    and this is the hottest loop of a bulk import."""
    if not _MARKUP_CHARS.search(line):
        return line, False
    head = line.lstrip()[:1]
    if head in "-*_" and _RULE.match(line):
        return "", False
    emphasised = head == "#" or line.lstrip().startswith("**")
    if head == "#":
        line = _HEADING.sub("", line)
    if head == ">":
        line = _QUOTE.sub("", line)
    if head in "-*+" or head.isdigit():
        line = _LIST.sub("", line)
    if "[" in line:
        line = _LINK.sub(r"\1", line)
    if "<" in line:
        line = _HTML_BREAK.sub(" ", line)
    if "*" in line or "_" in line:
        line = line.replace("**", "").replace("__", "")
        if "*" in line:
            line = _EMPHASIS.sub("", line)
    return line, emphasised


def read_text(text: str, *, markdown: bool) -> RawDocument:
    """Lines of a text or Markdown document. Markdown headings and bold lines are marked ``bold``
    (the title of a Markdown law is its first bold line).

    Markup is removed with whole-text multiline substitutions rather than line by line: a bulk
    import of the 2,124 laws (570,000 lines) must take seconds, not tens of seconds."""
    fields, body = split_front_matter(text)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    emphasised: set[int] = set()
    if markdown:
        head = body.split("\n", 40)[:40]
        emphasised = {i for i, line in enumerate(head) if line.lstrip().startswith(("#", "**"))}
        body = _markdown_to_text(body)
    lines = [Line(text=tidy(raw) if len(raw) <= 60 else raw.strip(), bold=i in emphasised)
             for i, raw in enumerate(body.split("\n"))]
    return RawDocument(source_format="md" if markdown else "txt", lines=lines, fields=fields)


_M_RULE = re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.MULTILINE)
_M_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*", re.MULTILINE)
_M_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.MULTILINE)
_M_LIST = re.compile(r"^[ \t]*[-*+][ \t]+", re.MULTILINE)


def _markdown_to_text(body: str) -> str:
    """The same result as :func:`strip_markdown` on every line, in a few passes over the text."""
    body = _M_RULE.sub("", body)
    if "#" in body:
        body = _M_HEADING.sub("", body)
    if ">" in body:
        body = _M_QUOTE.sub("", body)
    body = _M_LIST.sub("", body)
    if "[" in body:
        body = _LINK.sub(r"\1", body)
    if "<" in body:
        body = _HTML_BREAK.sub(" ", body)
    body = body.replace("**", "").replace("__", "")
    if "*" in body:
        body = _EMPHASIS.sub("", body)
    return body
