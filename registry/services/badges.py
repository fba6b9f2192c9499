"""``/badge/{id}.svg``: a document's live status as a small image, for pages that allow no script.

Two boxes, like the badges of code hosting sites: the registry's name on the left, the status on the right
in the colour the registry's pages use (green in force, blue not yet effective, amber amended or partially
invalid, red repealed or invalid). Every piece of text is XML-escaped; widths are estimated from the
characters (a CJK character is about one em, Latin letters about 0.6 em), so no font is needed.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from xml.sax.saxutils import escape

COLOURS = {"in_force": "#1a7f37", "not_yet_effective": "#0969da", "amended": "#9a6700",
           "partially_invalid": "#9a6700", "invalid": "#cf222e", "repealed": "#cf222e"}
UNKNOWN = "#6e7781"
FONT_PX = 12


def text_width(text: str) -> int:
    """Approximate rendered width in pixels at :data:`FONT_PX`."""
    em = 0.0
    for ch in text:
        em += 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.62
    return int(em * FONT_PX + 0.5)


def status_text(answer: dict[str, Any], lang: str = "zh") -> str:
    """One line: 有效 / 有效期至 2027-01-01 / 已废止 → 见《…》 (English with ``lang="en"``)."""
    en = lang == "en"
    label = str(answer["label_en"] if en else answer["label"])
    successor = answer.get("successor")
    expiry = (answer.get("document") or {}).get("expiry_date")
    if successor and answer["status"] in ("repealed", "amended"):
        title = successor["title"] if len(successor["title"]) <= 24 else successor["title"][:23] + "…"
        return f"{label} → see “{title}”" if en else f"{label} → 见《{title}》"
    if answer["status"] == "in_force" and expiry:
        return f"{label} · valid until {expiry}" if en else f"{label} · 有效期至 {expiry}"
    return label


def badge_svg(answer: dict[str, Any], *, lang: str = "zh", left: str | None = None) -> str:
    """The badge for a ``check`` answer as an SVG document (with a title for screen readers)."""
    left = left or ("registry" if lang == "en" else "规范性文件")
    right = status_text(answer, lang)
    colour = COLOURS.get(answer["status"], UNKNOWN)
    lw, rw = text_width(left) + 12, text_width(right) + 12
    width = lw + rw
    title = f"{answer['document']['title']}: {right}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{escape(title, {chr(34): "&quot;"})}">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{rw}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="system-ui,\'PingFang SC\',\'Microsoft YaHei\',sans-serif" font-size="{FONT_PX}">'
        f'<text x="6" y="14">{escape(left)}</text><text x="{lw + 6}" y="14">{escape(right)}</text></g></svg>'
    )
