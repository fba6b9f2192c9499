"""axe-core in real chromium: inject the npm package's ``axe.min.js`` into a Playwright page, run it, and
say what is wrong in words a person can act on.

axe-core comes from the root ``package.json`` (``make test`` runs ``npm ci``); tests skip with that
instruction when it is missing. The script goes in through Playwright's ``evaluate`` (the DevTools
protocol), not a ``<script>`` tag, so the pages keep their strict Content-Security-Policy while checked.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@cache
def axe_source() -> str:
    """The axe-core script, or a skip that says how to install it."""
    if not AXE.is_file():
        pytest.skip(f"{AXE} not found: run `npm ci` at the repository root (make test does) to install axe-core")
    return AXE.read_text(encoding="utf-8")


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Every axe violation of the page as it is now (WCAG 2.x A/AA and best-practice rules)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations that fail a page: serious or critical."""
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, Any]], *, limit: int = 5) -> str:
    """One paragraph per violation: impact, rule, what to do, and the elements (selector and HTML)."""
    lines = []
    for v in violations:
        lines.append(f"  [{v.get('impact')}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", [])[:limit]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"      at {target}: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"         {summary[:300]}")
        if len(v.get("nodes", [])) > limit:
            lines.append(f"      … and {len(v['nodes']) - limit} more")
    return "\n".join(lines)


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than its viewport (0: no sideways scrolling)."""
    return int(page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"))


def overflowing_elements(page: Any, limit: int = 5) -> list[str]:
    """The elements sticking out past the right edge, to say what scrolls sideways."""
    found: list[str] = page.evaluate("""(limit) => {
      const w = window.innerWidth, out = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 1 && r.width > 0) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') +
          ' right=' + Math.round(r.right));
        if (out.length >= limit) break;
      }
      return out; }""", limit)
    return found


def assert_accessible(page: Any, shot: Path, name: str = "") -> None:
    """Keep a full-page screenshot at ``shot`` to look at, then fail on any serious or critical violation."""
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    bad = blocking(run_axe(page))
    assert bad == [], f"{name or shot.stem}:\n{describe(bad)}"
