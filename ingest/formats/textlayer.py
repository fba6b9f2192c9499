"""Whether a PDF page's text layer says what the page shows.

Some typesetting systems embed fonts whose character map is wrong: the page shows ``GB 16889—2008``
and ``，`` while the text layer holds ``郧月 员远愿愿怨 要圆园园愿`` and ``袁``. Such a layer is worse than none,
because it looks like text. It is recognised by what real Chinese cannot do without:

* running Chinese text always has punctuation and numbers. A page with hundreds of Han characters
  and not one ``，。、；：`` nor any digit has had its symbols mapped onto other characters;
* characters outside any script (private-use code points, U+FFFD, control characters) are what a
  font without a usable map yields.

Both rules look only at the page's own text, cost one pass over it, and say why in words.
"""

from __future__ import annotations

import re

#: Running text long enough that missing punctuation cannot be chance (a table cell, a cover can).
MIN_RUNNING_HAN = 300
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PUNCT_OR_DIGIT = re.compile(r"[，。、；：！？,.;:!?0-9０-９]")
_UNREADABLE = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def garbage_reason(text: str) -> str | None:
    """Why ``text`` (one page) cannot be what the page shows, or None when it may be."""
    visible = len(text) - text.count(" ") - text.count("\n") - text.count("\r")
    if visible < 20:
        return None
    unreadable = len(_UNREADABLE.findall(text))
    if unreadable > 0.3 * visible:
        return f"{unreadable} of {visible} characters are private-use or undefined code points"
    han = len(_HAN.findall(text))
    if han >= MIN_RUNNING_HAN and not _PUNCT_OR_DIGIT.search(text):
        return f"{han} Chinese characters without one punctuation mark or digit"
    return None
