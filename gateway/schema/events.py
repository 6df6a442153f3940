"""Live events: CloudEvents from the CIVIC JetStream stream, as a GraphQL subscription.

Each subscription reads through its own ordered, ephemeral consumer that starts at new messages,
narrowed on the server to the requested subjects; the gateway then drops events outside the
caller's regions. The consumer goes away when the client unsubscribes or disconnects.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import datetime

import nats.errors
import nats.js.errors
import strawberry
from graphql import GraphQLError
from nats.js.api import ConsumerConfig, DeliverPolicy
from strawberry.scalars import JSON

from gateway.context import Info
from gateway.errors import invalid_field
from services.kit.auth import Principal
from services.kit.cloudevents import SUBJECT_ROOT, CloudEvent, subject_of_type

log = logging.getLogger(__name__)

ALL_SUBJECTS = f"{SUBJECT_ROOT}.>"
MAX_TYPES = 20
_TOKEN = re.compile(r"^(?:[a-z0-9][a-z0-9-]*|\*|>)$")
_VERSIONED = re.compile(r"\.v\d+$")
# Scopes this wide (district, city, province) may see events that name no region.
DISTRICT_SCOPE_MAX_LEN = 6


@strawberry.type(name="CloudEvent", description="A platform event (CloudEvents 1.0) as published on NATS.")
class CloudEventType:
    id: strawberry.ID
    type: str = strawberry.field(description="e.g. civic.eldercare.bed-assigned.v1")
    source: str
    subject: str | None
    time: datetime
    region: str | None = strawberry.field(description="Region code the event belongs to, if any.")
    data: JSON
    traceparent: str | None

    @classmethod
    def from_event(cls, event: CloudEvent) -> CloudEventType:
        """The GraphQL form of an event."""
        return cls(
            id=strawberry.ID(event.id),
            type=event.type,
            source=event.source,
            subject=event.subject,
            time=event.time,
            region=event.region,
            data=event.data,
            traceparent=event.traceparent,
        )


@dataclass(frozen=True)
class TypeFilter:
    """One requested entry: a NATS subject pattern, plus an exact CloudEvents type when versioned."""

    subject: str
    exact_type: str | None = None

    def matches(self, nats_subject: str, event: CloudEvent) -> bool:
        """Whether an event published on ``nats_subject`` is one of these."""
        return subject_matches(self.subject, nats_subject) and self.exact_type in (None, event.type)


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS wildcard matching: ``*`` is one token, a final ``>`` is one or more."""
    want, have = pattern.split("."), subject.split(".")
    for i, token in enumerate(want):
        if token == ">":
            return len(have) > i
        if i >= len(have) or (token != "*" and token != have[i]):
            return False
    return len(want) == len(have)


def parse_types(types: list[str] | None) -> list[TypeFilter]:
    """Filters for ``types`` (CloudEvents types or subjects, wildcards allowed); all events when empty."""
    if not types:
        return [TypeFilter(ALL_SUBJECTS)]
    if len(types) > MAX_TYPES:
        raise invalid_field("types", f"at most {MAX_TYPES} entries")
    filters: list[TypeFilter] = []
    for raw in dict.fromkeys(t.strip() for t in types):
        exact = raw if _VERSIONED.search(raw) else None
        subject = subject_of_type(raw) if exact else raw
        tokens = subject.split(".")
        valid = (
            tokens[0] == SUBJECT_ROOT
            and len(tokens) > 1
            and all(_TOKEN.match(t) for t in tokens)
            and ">" not in tokens[:-1]
        )
        if not valid:
            raise invalid_field("types", f"{raw!r} is not an event type or subject under {SUBJECT_ROOT}.")
        filters.append(TypeFilter(subject, exact))
    return filters


def visible(principal: Principal, event: CloudEvent) -> bool:
    """Whether the caller may see the event: its region is in their scopes (no region: district-wide only)."""
    if event.region:
        return principal.can_see(event.region)
    return any(len(scope) <= DISTRICT_SCOPE_MAX_LEN for scope in principal.regions)


@strawberry.type
class EventsSubscription:
    @strawberry.subscription(description="New platform events in your regions, optionally only some types.")
    async def events(
        self, info: Info, types: list[str] | None = None
    ) -> AsyncGenerator[CloudEventType, None]:
        filters = parse_types(types)
        principal = info.context.principal
        state = info.context.state
        subjects = list(dict.fromkeys(f.subject for f in filters))
        try:
            sub = await state.js.subscribe(
                subjects[0],
                stream=state.settings.stream_name,
                ordered_consumer=True,
                deliver_policy=DeliverPolicy.NEW,
                config=ConsumerConfig(filter_subjects=subjects) if len(subjects) > 1 else None,
            )
        except (nats.js.errors.Error, nats.errors.Error) as exc:
            log.warning("cannot subscribe to %s: %s", subjects, exc)
            raise GraphQLError(
                "the event stream is unavailable", extensions={"code": "UNAVAILABLE"}
            ) from None
        try:
            while True:
                msg = await sub.next_msg(timeout=None)
                try:
                    event = CloudEvent.from_json(msg.data)
                except ValueError:
                    log.warning("skipping a message on %s that is not a CloudEvent", msg.subject)
                    continue
                if visible(principal, event) and any(f.matches(msg.subject, event) for f in filters):
                    yield CloudEventType.from_event(event)
        finally:
            # Runs when the client completes the operation or the socket closes (the task is cancelled);
            # the server then deletes the ephemeral consumer once it sees no interest.
            with contextlib.suppress(nats.errors.Error):
                await sub.unsubscribe()
