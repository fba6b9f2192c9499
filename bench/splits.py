"""One seeded split of the STARD training questions into a tuning part and a set-aside part.

Every bench and quality helper that reports "train" and "set-aside" figures calls ``set_aside`` so the
parts are the same everywhere. The split is a hash of the question id with a fixed salt: it does not
depend on file order, Python's hash seed or the number of questions, and about a quarter of the ids land
in the set-aside part. Changing ``SALT`` or ``SET_ASIDE_PERCENT`` makes a new split; never tune on it.
"""

from __future__ import annotations

import hashlib

SALT = "normreg-stard-split-v1"
SET_ASIDE_PERCENT = 25


def bucket(qid: int | str) -> int:
    """The question's bucket in 0..99, stable across runs and machines."""
    digest = hashlib.sha256(f"{SALT}:{qid}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def set_aside(qid: int | str) -> bool:
    """True when the question belongs to the set-aside part (never used to tune methods)."""
    return bucket(qid) < SET_ASIDE_PERCENT
