"""Texts of article-level validity on the document page (Chinese first, English with ``?lang=en``)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "art_void": {"zh": "已失效（自{date}起）", "en": "No longer in force (since {date})"},
    "art_void_soon": {"zh": "将失效（自{date}起）", "en": "Ceases to apply on {date}"},
    "art_reason": {"zh": "原因：{reason}", "en": "Reason: {reason}"},
}
TEXTS.update({
    "art_search_title": {"zh": "按条文检索", "en": "Search by article"},
    "art_search_q": {"zh": "问题或关键词", "en": "Question or keywords"},
    "art_in_force_only": {"zh": "只看现行有效的条文", "en": "Only articles in force"},
    "art_results": {"zh": "共 {n} 条", "en": "{n} articles"},
    "art_none": {"zh": "没有找到相关条文。请换个说法。", "en": "No article found. Try other words."},
    "art_in_doc": {"zh": "所在文件", "en": "In"},
})
