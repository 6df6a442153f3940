"""Subject patterns and routes: what a durable filters on, and which handler gets each event.

A service lists what it consumes in one place, ``{subject pattern: handler}``. The patterns (NATS
wildcards: ``*`` one token, a final ``>`` one or more) become the durable's filter subjects, folded
so none overlaps another (JetStream refuses overlapping filters); ``route`` turns the dict into the
one handler the consumer calls.

A handler is ``async def handle(session, event, principal) -> None``: the unit of work it changes
(commit is the consumer's), the CloudEvent, and the service principal it acts as (DESIGN §3: event
handlers act as a named service principal with its own scope). A handler checks and filters by
that principal the way a gRPC method does with its caller, e.g. ``principal.require_region(…)``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.auth import Principal
from services.kit.cloudevents import CloudEvent

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, CloudEvent, Principal], Awaitable[None]]


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS wildcard match: ``*`` is one token, a final ``>`` is one or more tokens."""
    pat, sub = pattern.split("."), subject.split(".")
    for i, token in enumerate(pat):
        if token == ">":
            return i == len(pat) - 1 and len(sub) > i
        if i >= len(sub) or (token != "*" and token != sub[i]):
            return False
    return len(pat) == len(sub)


def _covers(wide: str, narrow: str) -> bool:
    """Every subject ``narrow`` matches is also matched by ``wide``."""
    w, n = wide.split("."), narrow.split(".")
    for i, token in enumerate(w):
        if token == ">":
            return len(n) > i
        if i >= len(n) or n[i] == ">" or (token != "*" and (n[i] == "*" or token != n[i])):
            return False
    return len(w) == len(n)


def _overlap(a: str, b: str) -> bool:
    """Some subject matches both patterns."""
    x, y = a.split("."), b.split(".")
    for i in range(max(len(x), len(y))):
        xi = x[i] if i < len(x) else None
        yi = y[i] if i < len(y) else None
        if ">" in (xi, yi):
            # A tail wildcard needs at least one token from the other pattern at its position.
            return xi is not None and yi is not None
        if xi is None or yi is None or (xi != yi and "*" not in (xi, yi)):
            return False
    return True


def filter_subjects(patterns: Sequence[str]) -> list[str]:
    """The durable's filter: the patterns minus those another one covers (JetStream refuses overlaps)."""
    unique = list(dict.fromkeys(patterns))
    kept = [p for p in unique if not any(q != p and _covers(q, p) for q in unique)]
    for i, a in enumerate(kept):
        for b in kept[i + 1 :]:
            if _overlap(a, b):
                raise ValueError(f"subjects {a!r} and {b!r} overlap; give them one durable filter each")
    return kept


def route(routes: Mapping[str, Handler]) -> Handler:
    """One handler dispatching by the event's subject: an exact pattern wins, else the first match."""
    table = dict(routes)

    async def dispatch(session: AsyncSession, event: CloudEvent, principal: Principal) -> None:
        subject = event.nats_subject
        handler = table.get(subject)
        if handler is None:
            handler = next((h for p, h in table.items() if subject_matches(p, subject)), None)
        if handler is None:
            # The durable's filter and the routes come from the same dict, so this is a type whose
            # subject differs from the one it was published on; nothing here wants it.
            log.warning("no handler for %s (event %s); skipped", subject, event.id)
            return
        await handler(session, event, principal)

    return dispatch
