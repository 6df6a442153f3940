"""Cursor pagination shared by every List RPC: opaque keyset page tokens, page sizes, PageInfo."""

from __future__ import annotations

import base64
import binascii
import json

from minzheng.common.v1 import common_pb2

from services.kit.errors import Collector

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def encode_page_token(*keys: str) -> str:
    """An opaque cursor: the keyset of the last row served."""
    raw = json.dumps(list(keys), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_token(errors: Collector, field: str, token: str, *, size: int) -> list[str] | None:
    """The keyset in a page token; None for the first page, a violation when it is not ours."""
    if not token:
        return None
    try:
        keys = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(keys, list) or len(keys) != size or not all(isinstance(k, str) for k in keys):
            raise ValueError(token)
        return keys
    except (ValueError, TypeError, binascii.Error):
        errors.add(field, "is not a page token this service issued")
        return None


def page_size(errors: Collector, field: str, requested: int) -> int:
    """0 means the default; above the maximum is capped (AIP-158); negative is refused."""
    if requested < 0:
        errors.add(field, "must not be negative")
        return DEFAULT_PAGE_SIZE
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def page_info(next_token: str, total: int) -> common_pb2.PageInfo:
    """Pagination facts for a list response."""
    return common_pb2.PageInfo(next_page_token=next_token, total_count=total)
