"""The fixed split of the STARD training questions: about a quarter is set aside for testing.

A question is set aside when the SHA-256 of its ``qid`` (as a decimal string) is divisible by 4. The rule
depends on nothing but the id, so every tool (the learned term map, the evaluation) agrees on the split
without sharing state, and a question never moves between the parts.
"""

from __future__ import annotations

import hashlib


def set_aside(qid: object) -> bool:
    """True for the questions kept out of everything that is learned (about 25 %)."""
    return int(hashlib.sha256(str(qid).encode()).hexdigest(), 16) % 4 == 0
