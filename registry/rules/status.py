"""Validity statuses (时效性) with their labels, and event types: the one place they are defined.

A status is never typed in by someone: the validity engine derives it. ``UNKNOWN`` is the honest answer
for a date the registry cannot speak for (a repeal whose date was never recorded).
"""

from __future__ import annotations

from enum import StrEnum

from registry.errors import InvalidInput


class Status(StrEnum):
    NOT_YET_EFFECTIVE = "not_yet_effective"
    IN_FORCE = "in_force"
    AMENDED = "amended"
    PARTIALLY_INVALID = "partially_invalid"
    INVALID = "invalid"
    REPEALED = "repealed"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return LABELS_ZH[self]

    @property
    def label_en(self) -> str:
        return LABELS_EN[self]

    @classmethod
    def of(cls, code: str | None) -> Status | None:
        """The status a stored code names, or None for an empty or unknown code."""
        return cls._value2member_map_.get(code) if code else None  # type: ignore[return-value]

    @classmethod
    def label_of(cls, code: str | None, lang: str = "zh") -> str | None:
        """The label of a stored code in ``lang`` (zh or en); an unknown code is shown as it is."""
        status = cls.of(code)
        if status is None:
            return code
        return status.label if lang == "zh" else status.label_en

    @classmethod
    def require(cls, code: str) -> Status:
        """The status ``code`` names; InvalidInput listing the codes otherwise (for filters people send)."""
        status = cls.of(code)
        if status is None:
            raise InvalidInput(f"unknown status {code!r}", details={"allowed": [s.value for s in cls]})
        return status

    @property
    def in_force(self) -> bool:
        """True when the text applies (wholly or partly) on the date asked."""
        return self in (Status.IN_FORCE, Status.PARTIALLY_INVALID)


LABELS_ZH: dict[Status, str] = {
    Status.NOT_YET_EFFECTIVE: "尚未生效",
    Status.IN_FORCE: "有效",
    Status.AMENDED: "已修改",
    Status.PARTIALLY_INVALID: "部分失效",
    Status.INVALID: "失效",
    Status.REPEALED: "已废止",
    Status.UNKNOWN: "无法确定",
}
LABELS_EN: dict[Status, str] = {
    Status.NOT_YET_EFFECTIVE: "not yet effective",
    Status.IN_FORCE: "in force",
    Status.AMENDED: "amended",
    Status.PARTIALLY_INVALID: "partially invalid",
    Status.INVALID: "invalid",
    Status.REPEALED: "repealed",
    Status.UNKNOWN: "unknown",
}

# Words catalogs and clearing lists use, mapped to a status.
STATUS_WORDS: dict[str, Status] = {
    "有效": Status.IN_FORCE,
    "现行有效": Status.IN_FORCE,
    "继续有效": Status.IN_FORCE,
    "尚未生效": Status.NOT_YET_EFFECTIVE,
    "未生效": Status.NOT_YET_EFFECTIVE,
    "已修改": Status.AMENDED,
    "已修正": Status.AMENDED,
    "修改": Status.AMENDED,
    "部分失效": Status.PARTIALLY_INVALID,
    "失效": Status.INVALID,
    "已失效": Status.INVALID,
    "宣布失效": Status.INVALID,
    "已废止": Status.REPEALED,
    "废止": Status.REPEALED,
}


def parse_status(text: str) -> Status:
    """A status from its code (``in_force``) or a Chinese word (现行有效); ValueError otherwise."""
    value = text.strip()
    try:
        return Status(value)
    except ValueError:
        pass
    if value in STATUS_WORDS:
        return STATUS_WORDS[value]
    raise ValueError(f"unknown status {text!r}; use one of {', '.join(s.value for s in Status)} or 有效/已废止/…")


class EventType(StrEnum):
    """What can happen to a document. Events are appended, never edited."""

    FILED = "filed"  # 备案
    LEGALITY_REVIEWED = "legality_reviewed"  # 合法性审核
    FILING_REVIEWED = "filing_reviewed"  # 备案审查: 通过 / 纠正 / 撤销
    CLEARED = "cleared"  # 清理结果: 继续有效 / 修改 / 废止 / 宣布失效
    REPEALED = "repealed"
    AMENDED = "amended"
    DECLARED_INVALID = "declared_invalid"
    PARTIALLY_INVALID = "partially_invalid"
    RENEWED = "renewed"  # a new validity period
    EXPIRED = "expired"  # recorded by the sweep; the engine already knows
    INTERPRETATION_LINKED = "interpretation_linked"
    STATUS_ASSERTED = "status_asserted"  # a catalog's claim, as of a date
    REVOKED = "revoked"  # a compensating event: undoes an earlier event
    NOTE = "note"


class ClearingResult(StrEnum):
    CONTINUE = "继续有效"
    AMEND = "修改"
    REPEAL = "废止"
    DECLARE_INVALID = "宣布失效"
    INVALID = "失效"


class FilingReviewOutcome(StrEnum):
    PASSED = "通过"
    CORRECTED = "纠正"
    ANNULLED = "撤销"
