"""Articles (第X条) and chapters (第X章/编/节) of a plain-text body.

Long documents are searched and cited article by article, so this split must be reliable: an article
label is only taken at the start of a line, followed by a space or the end of the line, and only when
its number continues the sequence (n+1, an inserted 第n条之一, or a restart at 1 in an attachment).
A cross-reference that happens to start a line (第三条规定的…) therefore never opens an article.
"""

from __future__ import annotations

import re

from ingest.model import Article
from ingest.numerals import CN_NUMERAL_CHARS, cn_to_int

_NUM = rf"[{CN_NUMERAL_CHARS}\d０-９]+"
ARTICLE_RE = re.compile(rf"^\s*(第({_NUM})条(?:之({_NUM}))?)(?:[\s\u3000]+|$)")
HEADING_RE = re.compile(rf"^\s*(第{_NUM}[编章节](?:[\s\u3000]+\S.*)?)\s*$")


_BOUNDARY_RE = re.compile(rf"^[ \t\u3000]*第{_NUM}(?:[条编章节])", re.MULTILINE)


def split_articles(text: str) -> list[Article]:
    """Articles in reading order; an empty list when the text has no article structure.

    Only lines that open with 第…条/章/节/编 are examined (found with one multiline search), so a
    long law is split in one pass over its candidate lines rather than a regex per line.
    """
    articles: list[Article] = []
    chapter: str | None = None
    open_at: int | None = None  # where the current article's text starts
    last = 0

    def close(end: int) -> None:
        if articles and open_at is not None:
            articles[-1].text = text[open_at:end].strip()

    for candidate in _BOUNDARY_RE.finditer(text):
        start = candidate.start()
        line_end = text.find("\n", start)
        line = text[start:] if line_end < 0 else text[start:line_end]
        m = ARTICLE_RE.match(line)
        if m:
            ordinal = cn_to_int(m.group(2)) or 0
            inserted = m.group(3) is not None
            follows = (inserted and ordinal == last) or (not inserted and ordinal == last + 1)
            if follows or (ordinal == 1 and not inserted):
                close(start)
                articles.append(Article(ordinal=ordinal, number=m.group(1), text="", chapter=chapter))
                open_at = start
                last = ordinal
                continue
        h = HEADING_RE.match(line)
        if h and len(line.strip()) <= 40:
            close(start)
            open_at = None
            chapter = re.sub(r"[\s\u3000]+", " ", h.group(1)).strip()
    close(len(text))
    return articles
