"""How a title cited inside 《》 names a stored law: the keys both sides are folded to.

Documents cite laws loosely: without the 中华人民共和国 prefix (《行政处罚法》), with full- or half-width
brackets, with 〈〉 inside a decision's title, and never with the version mark a database adds to one
text of several (中华人民共和国宪法（2018年修正文本）). :func:`citation_keys` and :func:`title_keys` fold
both sides to the same keys, so a cited title meets every stored version of its law; which version is
meant is a question of dates, answered by :func:`version_in_force`. Pure: no storage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Protocol, TypeVar

from registry.rules.refs import title_key

PREFIX = "中华人民共和国"
# a version mark a database appends: （1982年） （2018年修正文本） （2009年修正） （试行） is part of the name
_VERSION = re.compile(r"（(?:\d{4}年)?(?:第?[一二三四五六七八九十\d]+次)?(?:修正|修订|修正文本|修订文本)?(?:本)?）$")
_INNER = re.compile(r"[〈〉<>＜＞]")


def _fold(title: str) -> str:
    return _INNER.sub("", title_key(title))


def _unprefixed(key: str) -> str:
    return key[len(PREFIX):] if key.startswith(PREFIX) and len(key) > len(PREFIX) + 1 else key


def title_keys(title: str) -> set[str]:
    """The keys a stored title is found by: folded, without the prefix, without a trailing version mark."""
    key = _fold(title)
    bare = _VERSION.sub("", key) if re.search(r"\d{4}年|修正|修订", key[-12:]) else key
    return {_unprefixed(key), _unprefixed(bare)}


def citation_key(title: str) -> str:
    """The one key a cited title is looked up by."""
    return _unprefixed(_fold(title))


class Dated(Protocol):
    @property
    def effective_date(self) -> date | None: ...
    @property
    def publication_date(self) -> date | None: ...


T = TypeVar("T", bound=Dated)


def _start(doc: Dated) -> date | None:
    return doc.effective_date or doc.publication_date


def version_in_force(versions: Sequence[T], on: date | None) -> T | None:
    """Of several texts of one law, the one in force ``on`` that day: the latest that had started by then.

    Before the first version started, the first one (a citation of a law not yet in force cites its first
    text); with no date, the latest. Texts without any date are used only when nothing else is known.
    """
    if not versions:
        return None
    dated = sorted((v for v in versions if _start(v) is not None), key=lambda v: _start(v) or date.min)
    if not dated:
        return versions[0]
    if on is None:
        return dated[-1]
    started = [v for v in dated if (_start(v) or date.min) <= on]
    return started[-1] if started else dated[0]


__all__ = ["PREFIX", "citation_key", "title_keys", "version_in_force"]
