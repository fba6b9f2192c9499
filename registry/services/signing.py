"""The registry's Ed25519 signing key and the canonical JSON every signature is computed over.

Canonical form (what any verifier recomputes): the statement without its ``signature`` field, serialised as
JSON with keys sorted, no spaces (``,`` and ``:`` as separators), non-ASCII characters written as UTF-8 (not
``\\u`` escapes), then encoded as UTF-8. Statements hold only strings, integers, booleans, null, lists and
objects, so every JSON library produces the same bytes. Signatures and the public key travel as base64url
without padding.

The private key lives in ``signing_key_path`` (default ``<data dir>/signing-key.pem``), created on first use
with mode 0600 and never rewritten; the key id is the first 16 hex digits of the SHA-256 of the raw public
key, so a statement names the key that signed it and a rotated key never verifies an old id by accident.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from registry.settings import Settings

ALGORITHM = "Ed25519"
_lock = threading.Lock()


def canonical(obj: Any) -> bytes:
    """The bytes a signature covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    """Decode base64url with or without padding; ValueError when it is not base64url."""
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64url text")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class SigningKey:
    """The private key with its public half and id."""

    private: Ed25519PrivateKey

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.public_raw).hexdigest()[:16]

    def sign(self, data: bytes) -> str:
        return b64(self.private.sign(data))

    def verify(self, data: bytes, signature: str) -> bool:
        """True when ``signature`` (base64url) is this key's signature of ``data``."""
        try:
            raw = unb64(signature)
        except (ValueError, TypeError):
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.public_raw).verify(raw, data)
        except InvalidSignature:
            return False
        return True

    def public(self, url: str) -> dict[str, Any]:
        """The published form: key id, algorithm, raw key (base64url), PEM and JWK (RFC 8037)."""
        pem = self.private.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        x = b64(self.public_raw)
        return {"key_id": self.key_id, "algorithm": ALGORITHM, "public_key": x, "pem": pem, "url": url,
                "jwk": {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": self.key_id, "use": "sig", "alg": "EdDSA"},
                "canonical_form": "JSON without `signature`, keys sorted, separators ',' ':', UTF-8, no ASCII escapes"}


def key_path(settings: Settings) -> Path:
    return settings.signing_key_path or settings.data_dir / "signing-key.pem"


def load_or_create(settings: Settings) -> SigningKey:
    """The registry's key; created (mode 0600, linked into place so two processes never make two) when missing."""
    path = key_path(settings)
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM,
                                                              serialization.PrivateFormat.PKCS8,
                                                              serialization.NoEncryption())
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
            try:
                os.link(tmp, path)  # atomic and exclusive: a reader never sees half a key
            except FileExistsError:
                pass  # another process made it first: use theirs
            finally:
                tmp.unlink(missing_ok=True)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return SigningKey(key)
