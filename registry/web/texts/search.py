"""Texts of the public search page's own parts (Chinese first, English with ``?lang=en``): the
collapsible filters and the wording of an estimated total."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "sr_filters": {"zh": "筛选", "en": "Filters"},
    "sr_results_about": {"zh": "约 {n} 件", "en": "about {n} documents"},
    "sr_facets_about": {"zh": "（筛选项数量为估计值）", "en": "(filter counts are estimates)"},
}
