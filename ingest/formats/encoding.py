"""Bytes to text for files that do not say reliably what they are (HTML and plain text).

Chinese government sites still publish GBK and GB2312 pages, often with a wrong or missing
declaration. Order of trust: a byte-order mark, strict UTF-8, the declared charset, GB18030 (a
superset of GBK and GB2312), then charset-normalizer's guess. GB2312/GBK declarations are read as
GB18030 because real pages use characters outside the declared set.
"""

from __future__ import annotations

import codecs
import re

_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030"}


def decode_text(data: bytes) -> tuple[str, str]:
    """``(text, encoding_used)``; never raises (undecodable bytes become U+FFFD as a last resort)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(data[:4096])
    candidates = []
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        candidates.append(_WIDEN.get(name, name))
    candidates.append("gb18030")
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("gb18030", errors="replace"), "gb18030 (lossy)"
