"""How validity, recency and pinning weigh on relevance, shared by every backend.

Validity demotes gently: the relevant law of a citizen's question is often an amended or repealed text
(the question predates the amendment, or the old text still governs the facts), so a repealed document
must stay findable and only lose ties and near-ties to documents in force. Pinned documents (chosen by
staff as key) come first among comparable matches.
"""

from __future__ import annotations

import math
from datetime import date

STATUS_WEIGHT: dict[str, float] = {
    "in_force": 1.0,
    "not_yet_effective": 0.97,
    "partially_invalid": 0.9,
    "amended": 0.85,
    "invalid": 0.75,
    "repealed": 0.75,
}
PINNED_WEIGHT = 2.5
RECENCY_SPAN_YEARS = 15.0
RECENCY_WEIGHT = 0.08


def prior(status: str, publication_date: date | None, pinned: bool, today: date | None = None) -> float:
    """Multiplier applied to a relevance score (about 0.75-1.08, times 2.5 when pinned)."""
    weight = STATUS_WEIGHT.get(status, 0.9)
    if publication_date is not None:
        age = max(0.0, ((today or date.today()) - publication_date).days / 365.25)
        weight *= 1.0 + RECENCY_WEIGHT * math.exp(-age / RECENCY_SPAN_YEARS)
    if pinned:
        weight *= PINNED_WEIGHT
    return weight


def tantivy_weight(multiplier: float) -> float:
    """Value for tantivy's ``weight_by_field``, which multiplies the score by log2(2 + value)."""
    return max(0.0, 2.0 ** max(1.0, multiplier * 2.0) - 2.0)
