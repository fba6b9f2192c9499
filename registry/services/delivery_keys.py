"""The server key behind every delivery secret, and the secrets derived from it.

A webhook's signing secret and a mail subscription's confirm / unsubscribe tokens are HMAC-SHA256 of one
random 32-byte key and the row's id, so the database holds nothing secret: a leaked backup signs nothing
and unsubscribes no one. The key lives in ``<data dir>/delivery.key``, created on first use with mode
0600 (never widened afterwards). Several processes on several machines must share the same file (copy
it with the data dir); replacing it changes every webhook secret and voids every link already mailed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

from registry.settings import Settings

KEY_FILE = "delivery.key"
_cache: dict[Path, bytes] = {}
_lock = threading.Lock()


def server_key(settings: Settings) -> bytes:
    """The key, created (0600, atomically: two processes starting at once agree) when absent."""
    path = (settings.data_dir / KEY_FILE).resolve()
    with _lock:
        if path in _cache:
            return _cache[path]
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = bytes.fromhex(path.read_text().strip())
        else:
            key = secrets.token_bytes(32)
            with os.fdopen(fd, "w") as out:
                out.write(key.hex())
        if len(key) < 32:
            raise RuntimeError(f"{path} holds a key shorter than 32 bytes")
        _cache[path] = key
        return key


def forget(settings: Settings) -> None:
    """Drop this process's copy of the key (after a restore put another one in place)."""
    with _lock:
        _cache.pop((settings.data_dir / KEY_FILE).resolve(), None)


def derive(settings: Settings, purpose: str, ident: str | int) -> str:
    """The secret for ``purpose`` (webhook, confirm, unsubscribe) of row ``ident``, as 64 hex digits."""
    return hmac.new(server_key(settings), f"{purpose}:{ident}".encode(), hashlib.sha256).hexdigest()


def check(settings: Settings, purpose: str, ident: str | int, token: str) -> bool:
    """Whether ``token`` is the secret :func:`derive` gives (constant-time)."""
    return hmac.compare_digest(derive(settings, purpose, ident), token.strip().lower())


def sign(secret: str, body: bytes) -> str:
    """The ``X-Normreg-Signature`` value: ``sha256=`` and the hex HMAC-SHA256 of ``body`` under ``secret``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
