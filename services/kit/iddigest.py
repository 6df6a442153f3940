"""Keyed digests of resident ID numbers: how services name a person to each other without the number.

DESIGN §3 keeps clear ID numbers out of events, yet relief, funeral and child welfare must match the
same person. Events carry ``id_number_digest``: HMAC-SHA256 of the normalised number under the
platform key ``MINZHENG_ID_DIGEST_KEY`` (``Settings.id_digest_key``). A plain hash would not do: valid
ID numbers are few enough to enumerate, so only holders of the key may compute or test a digest. The
key is not the JWT secret: a leaked token key must not also unmask people, and each rotates alone.
"""

from __future__ import annotations

import hashlib
import hmac

from services.kit.settings import DEV_ID_DIGEST_KEY, Settings

__all__ = ["DEV_ID_DIGEST_KEY", "digest_key", "id_number_digest", "key_id"]

MIN_KEY_LENGTH = 32
_KEY_ID_LABEL = b"minzheng id digest key id"


def id_number_digest(id_number: str, key: bytes) -> str:
    """HMAC-SHA256 (hex) of a resident ID number under the key; the same number, the same digest."""
    normalised = id_number.strip().upper()
    return hmac.new(key, normalised.encode("ascii"), hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """A short fingerprint of the key (never the key itself), stored beside digests made with it."""
    return hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]


def digest_key(settings: Settings) -> bytes:
    """The platform key (``MINZHENG_ID_DIGEST_KEY``); in production a real one of ≥ 32 characters."""
    key = settings.id_digest_key
    if settings.environment == "production" and (key == DEV_ID_DIGEST_KEY or len(key) < MIN_KEY_LENGTH):
        raise ValueError("MINZHENG_ID_DIGEST_KEY must be set to a key of ≥ 32 characters in production")
    return key.encode()
