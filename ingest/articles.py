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


def split_articles(text: str) -> list[Article]:
    """Articles in reading order; an empty list when the text has no article structure."""
    articles: list[Article] = []
    chapter: str | None = None
    current: list[str] = []
    last = 0

    def close() -> None:
        if articles and current:
            articles[-1].text = "\n".join(current).strip()

    for line in text.splitlines():
        m = ARTICLE_RE.match(line)
        if m:
            ordinal = cn_to_int(m.group(2)) or 0
            inserted = m.group(3) is not None
            follows = (inserted and ordinal == last) or (not inserted and ordinal == last + 1)
            if follows or (ordinal == 1 and not inserted):
                close()
                articles.append(Article(ordinal=ordinal, number=m.group(1), text="", chapter=chapter))
                current = [line.strip()]
                last = ordinal
                continue
        h = HEADING_RE.match(line)
        if h and len(line.strip()) <= 40:
            close()
            current = []
            chapter = re.sub(r"[\s\u3000]+", " ", h.group(1)).strip()
            continue
        if articles and current:
            current.append(line)
    close()
    return articles
