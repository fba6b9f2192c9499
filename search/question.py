"""What a layperson's question asks about: its stop phrases, negations, and the legal terms its words stand for.

Everything here is written or learned in general, never per question:

* **Word classes.** Question words (什么, 如何, 是否, 哪些 …), the modal frames people wrap a question in
  (能不能, 可以吗, 会不会, 怎么办: a modal, its A-不-A form, or a what-to-do word), sentence-final
  particles, pronouns, connectives and fillers are closed classes written once below. Their union,
  :data:`STOP_PHRASES`, is stripped from the question by :mod:`search.query`, which splits its runs there,
  so no key bigram spans a stop phrase. (Removing more: prepositions, single function characters, or only
  keeping bigrams inside dictionary words, each measured worse on the training questions —
  docs/benchmarks.md.)
* **Negation as meaning.** A negation (不, 没, 没有, 未 …) changes the word after it, so it is not simply
  dropped: the bigram of the negation's statute form and the next word's first character becomes a key
  term (没有签劳动合同 → 未签, as statutes write 未签订).
* **Learned legal terms.** The question's content words (jieba's dictionary segmentation of the
  normalised text, without function words) are looked up in the term map of :mod:`search.lexicon`, learned
  from training questions and the articles answering them; the bigrams of the terms found are the plan's
  *expansions*, which add score to a document holding them and are never required.

The analysis is a pure function of the text (no index access), so plans stay cacheable and every backend
gets the same plan.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from search.lexicon import expansions_for
from search.tokenize import run_bigrams, runs, units

# Word classes, each a closed class of Mandarin function words written once (none is per question).
# Stripped as phrases from the text (longest first), they split its runs, so no key bigram spans them.
QUESTION_WORDS = frozenset({
    "什么", "什么样", "怎么", "怎样", "怎么样", "如何", "为什么", "为何", "哪些", "哪个", "哪里", "哪儿", "哪种",
    "多少", "多少天", "多少钱", "多少年", "多长时间", "多久", "几天", "几年", "几个", "是否", "是不是", "有没有",
    "有无",
})
# The frames of 能不能 / 可以吗 / 会不会 / 怎么办 questions: a modal, its A-不-A form, or a what-to-do word.
MODAL_PATTERNS = frozenset({
    "能否", "能不能", "可不可以", "可以", "可否", "会不会", "要不要", "需不需要", "需要", "应当", "应该",
    "必须", "怎么办",
})
PARTICLES = frozenset({"吗", "呢", "吧", "啊", "呀", "么"})  # sentence-final only: 有 or 是 would cut 有限公司
PRONOUNS = frozenset({"我们", "你们", "他们", "她们", "自己", "本人", "这个", "那个", "这种", "那种", "一个"})
CONNECTIVES = frozenset({"的话", "如果", "假如", "因为", "所以", "但是", "而且", "还是", "或者", "以及"})
FILLERS = frozenset({
    "请问", "请教", "咨询", "想问", "想知道", "我想", "一下", "时候", "情况", "问题", "规定", "有关", "相关",
    "法律", "处理", "承担",
})
WORD_CLASSES: dict[str, frozenset[str]] = {
    "question": QUESTION_WORDS, "modal": MODAL_PATTERNS, "particle": PARTICLES, "pronoun": PRONOUNS,
    "connective": CONNECTIVES, "filler": FILLERS,
}
STOP_PHRASES: tuple[str, ...] = tuple(sorted(frozenset().union(*WORD_CLASSES.values()), key=len, reverse=True))
# Single function characters, left out of content words (but never stripped from the text).
FUNCTION_CHARS = frozenset("的了着过地得之与和及或在对把被将给向从因由为以于就也都还又再才是有这那我你他她它其")
STOP_WORDS = frozenset(STOP_PHRASES)
# Negations and the form statutes write them in (没有签 → 未签, as in 未签订).
NEGATIONS = {"不": "不", "没": "未", "没有": "未", "未": "未", "未曾": "未", "尚未": "未", "不曾": "未",
             "从未": "未", "无": "无", "别": "不", "拒不": "拒不", "不再": "不"}


@dataclass(slots=True)
class Analysis:
    """The parts of a question a query plan needs."""

    words: list[str] = field(default_factory=list)  # content words, in order, deduplicated
    terms: list[str] = field(default_factory=list)  # negation terms not among the question's key terms
    expansions: list[str] = field(default_factory=list)  # bigrams of learned legal terms not among ``terms``


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    """jieba's tokenizer, loaded on first use (about a second; jieba caches its prefix dictionary)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def warm_up() -> None:
    """Load the segmenter ahead of the first question, so that question does not wait for it. A server
    calls it (through :func:`start_warm_up`) as it starts; a process that only writes the index never does."""
    _segmenter()


def start_warm_up() -> None:
    """:func:`warm_up` on a daemon thread: opening a backend does not wait for it."""
    threading.Thread(target=warm_up, name="question-warm-up", daemon=True).start()


def segment(normalized: str) -> list[str]:
    """Words of a normalised text (punctuation kept as its own words, so runs stay apart). No new-word
    guessing (HMM): unknown sequences fall apart into characters, which are then left out or joined by
    the caller, and the result does not depend on a statistical model's guesses."""
    return [w for w in _segmenter().lcut(normalized, HMM=False) if w.strip()]


def _word_terms(word: str) -> list[str]:
    us = units(word)
    return run_bigrams(us) if len(us) > 1 else ([us[0]] if us and us[0].isascii() else [])


def _is_stop(word: str) -> bool:
    return word in STOP_WORDS or all(c in FUNCTION_CHARS for c in word)


def content_words(normalized: str) -> list[str]:
    """Words of a normalised text that carry its topic: not of a word class, not a negation, two units or
    more (a lone character is too ambiguous to stand for a legal term), in order, deduplicated."""
    out: dict[str, None] = {}
    for run in runs(normalized):
        for w in segment(run):
            if not _is_stop(w) and w not in NEGATIONS and len(units(w)) > 1:
                out.setdefault(w, None)
    return list(out)


def negation_terms(normalized: str) -> list[str]:
    """One term per negated word: the negation's legal form and the word's first character (没有签 → 未签)."""
    out: dict[str, None] = {}
    for run in runs(normalized):
        words = segment(run)
        for i, w in enumerate(words[:-1]):
            neg = NEGATIONS.get(w)
            nxt = words[i + 1]
            if neg is not None and not _is_stop(nxt) and nxt not in NEGATIONS and not nxt[0].isascii():
                out.setdefault(neg[-1] + nxt[0], None)
    return list(out)


def analyse(normalized: str, terms: list[str]) -> Analysis:
    """Content words, negation terms and learned expansions of a normalised question whose key terms
    (bigrams of its runs between stop phrases) are ``terms``."""
    words = content_words(normalized)
    known = dict.fromkeys(terms)
    negations = [t for t in negation_terms(normalized) if t not in known]
    known.update(dict.fromkeys(negations))
    expansion: dict[str, None] = {}
    for w in words:
        for legal in expansions_for(w):
            for t in _word_terms(legal):
                if t not in known:
                    expansion.setdefault(t, None)
    return Analysis(words=words, terms=negations, expansions=list(expansion))
