"""Relay forward pagination (first/after) over the services' keyset page tokens.

Each edge's cursor is the page token the service issued for that very row, so ``after`` is handed to
the service unchanged and resumes right after the row, however far into a page it lies. A cursor
that is not one of the service's tokens comes back as INVALID_ARGUMENT naming ``after``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from minzheng.common.v1 import common_pb2
from strawberry import relay

from gateway.errors import invalid_field

N = TypeVar("N")

DEFAULT_FIRST = 20
# Below the services' page limit (200), so a page of ``first`` rows is always one call.
MAX_FIRST = 100
# The services name pagination fields after the proto; clients know them as Relay arguments.
PAGE_RENAMES = {"page.page_size": "first", "page.page_token": "after"}


def page_request(first: int, after: str | None) -> common_pb2.PageRequest:
    """The service's page request for ``first`` rows after the cursor; INVALID_ARGUMENT on ``first``."""
    if not 1 <= first <= MAX_FIRST:
        raise invalid_field("first", f"must be between 1 and {MAX_FIRST}")
    return common_pb2.PageRequest(page_size=first, page_token=after or "")


def connection_parts(
    nodes: Sequence[N], cursors: Sequence[str], page: common_pb2.PageInfo, *, after: str | None
) -> tuple[list[relay.Edge[N]], relay.PageInfo]:
    """Edges (one per node, with that row's own cursor) and the Relay page info of a service page."""
    if len(cursors) != len(nodes):
        raise ValueError(f"the service sent {len(cursors)} cursors for {len(nodes)} rows")
    edges = [relay.Edge(cursor=cursor, node=node) for node, cursor in zip(nodes, cursors, strict=True)]
    info = relay.PageInfo(
        has_next_page=bool(page.next_page_token),
        has_previous_page=bool(after),
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return edges, info
