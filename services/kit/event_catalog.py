"""Every event the platform publishes, declared once with its payload model, and what each consumes.

``stage_event`` only accepts a declared ``EventDef`` and an instance of its payload model, so the
catalogue (``proto/asyncapi.yaml``) can be checked against this registry by a test: nothing is
published that the catalogue does not list, with the schema it lists. A consumer declares the
payload it expects with ``define_consumed``: the catalogue lists it as a ``receive`` operation (with
that payload while no service publishes the subject yet), and a test checks that a publisher's
payload carries every field its consumers require.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from services.kit.cloudevents import event_type, nats_subject

_REGISTRY: dict[str, EventDef] = {}
_CONSUMED: dict[tuple[str, str], ConsumedDef] = {}


@dataclass(frozen=True)
class EventDef:
    """One kind of event: its subject, CloudEvents type, payload model and meaning."""

    service: str
    name: str
    payload: type[BaseModel]
    summary: str

    @property
    def subject(self) -> str:
        """NATS subject ``civic.<service>.<name>``."""
        return nats_subject(self.service, self.name)

    @property
    def type(self) -> str:
        """CloudEvents type (subject + version)."""
        return event_type(self.subject)

    def payload_schema(self) -> dict[str, Any]:
        """The JSON schema of the payload, as the catalogue lists it."""
        return self.payload.model_json_schema()


def define_event(service: str, name: str, payload: type[BaseModel], summary: str) -> EventDef:
    """Declare an event (once, at import of the service's ``events`` module)."""
    event = EventDef(service=service, name=name, payload=payload, summary=summary)
    existing = _REGISTRY.get(event.subject)
    if existing is not None and existing != event:
        raise ValueError(f"event {event.subject} declared twice")
    _REGISTRY[event.subject] = event
    return event


def declared_events() -> dict[str, EventDef]:
    """All declared events by subject."""
    return dict(_REGISTRY)


@dataclass(frozen=True)
class ConsumedDef:
    """An event a service consumes: the subject and the payload model it reads it with."""

    service: str
    subject: str
    payload: type[BaseModel]
    summary: str


def define_consumed(service: str, subject: str, payload: type[BaseModel], summary: str) -> ConsumedDef:
    """Declare that ``service`` consumes ``subject`` and what it needs in the payload."""
    consumed = ConsumedDef(service=service, subject=subject, payload=payload, summary=summary)
    existing = _CONSUMED.get((service, subject))
    if existing is not None and existing != consumed:
        raise ValueError(f"{service} declares what it consumes on {subject} twice")
    _CONSUMED[(service, subject)] = consumed
    return consumed


def consumed_events() -> list[ConsumedDef]:
    """Every declared consumption, by subject then consumer."""
    return [_CONSUMED[k] for k in sorted(_CONSUMED, key=lambda k: (k[1], k[0]))]
