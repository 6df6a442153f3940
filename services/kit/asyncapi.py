"""``python -m services.kit.asyncapi``: regenerate the event catalogue ``proto/asyncapi.yaml`` (AsyncAPI 3.0).

Channels, operations and messages come from the event registry (every ``services/*/events.py``);
``info`` and ``servers`` are kept as written in the file. ``--check`` fails when the file is not what
the code declares (a subject missing, a payload schema changed, a subject no longer published).
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml

from services.kit.cloudevents import SPEC_VERSION, event_type
from services.kit.event_catalog import ConsumedDef, EventDef, consumed_events, declared_events
from services.kit.protogen import PROTO_ROOT
from services.kit.relay import CONTENT_TYPE, MSG_ID_HEADER

CATALOGUE_PATH = PROTO_ROOT / "asyncapi.yaml"
ASYNCAPI_VERSION = "3.0.0"
HEADER = (
    "# The event catalogue. Channels, operations and components are generated from services/*/events.py\n"
    "# by `python -m services.kit.asyncapi` (a test fails when they are stale); edit info and servers here.\n"
)
DEFAULT_INFO: dict[str, Any] = {
    "title": "Minzheng 1+3+X civic events",
    "version": "1.0.0",
    "description": (
        "Every state change the platform publishes, on NATS JetStream stream CIVIC (subjects civic.>). "
        "Messages are CloudEvents 1.0 in JSON structured mode; `type` is the subject plus `.v1`."
    ),
}
DEFAULT_SERVERS: dict[str, Any] = {
    "local": {
        "host": "127.0.0.1:4222",
        "protocol": "nats",
        "description": "The nats-server `make up` starts (JetStream, stream CIVIC).",
    }
}


EVENTS_ENTRY_POINTS = "minzheng.events"


def load_events() -> dict[str, EventDef]:
    """Load every service's ``events`` module and return the declared events by subject.

    Services register their events module as a ``minzheng.events`` entry point (pyproject.toml),
    so kit finds them without importing any service by name.
    """
    for entry in sorted(entry_points(group=EVENTS_ENTRY_POINTS), key=lambda e: e.name):
        entry.load()
    return dict(sorted(declared_events().items()))


def identifier(event: EventDef) -> str:
    """A catalogue key for the event: ``eldercareBedAssigned``."""
    return _camel(event.service, *event.name.split("-"))


def _camel(*words: str) -> str:
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def _subject_key(subject: str) -> tuple[str, str, str]:
    """(publisher, event name, catalogue key) of a ``civic.<service>.<name>`` subject."""
    _, service, name = subject.split(".", 2)
    return service, name, _camel(service, *name.split("-"))


def data_schema(event: EventDef | ConsumedDef) -> tuple[dict[str, Any], dict[str, Any]]:
    """The payload's JSON schema (nested definitions referenced from components) and those definitions."""
    schema = event.payload.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = schema.pop("$defs", {})
    return schema, definitions


def envelope_schema(event: EventDef, data: dict[str, Any]) -> dict[str, Any]:
    """The CloudEvents envelope the event travels in, with ``data`` = the payload schema."""
    return _envelope(event.service, event.type, data)


def _envelope(service: str, type_: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["specversion", "id", "source", "type", "time", "datacontenttype", "data"],
        "properties": {
            "specversion": {"type": "string", "const": SPEC_VERSION},
            "id": {"type": "string", "description": "Unique per event; also the Nats-Msg-Id header."},
            "source": {"type": "string", "const": f"/minzheng/{service}"},
            "type": {"type": "string", "const": type_},
            "subject": {"type": "string", "description": "The record the event is about."},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"type": "string", "const": "application/json"},
            "traceparent": {"type": "string", "description": "W3C trace context (distributed tracing)."},
            "region": {"type": "string", "description": "Region code of the record, for scoped consumers."},
            "data": data,
        },
    }


def _message(name: str, title: str, summary: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "title": title,
        "summary": summary,
        "contentType": CONTENT_TYPE,
        "headers": {
            "type": "object",
            "required": [MSG_ID_HEADER, "Content-Type"],
            "properties": {
                "Nats-Msg-Id": {"type": "string", "description": "The event id; JetStream de-duplicates."},
                "Content-Type": {"type": "string", "const": CONTENT_TYPE},
                "traceparent": {"type": "string", "description": "W3C trace context, as in the envelope."},
            },
        },
        "payload": payload,
    }


def _add_definitions(schemas: dict[str, Any], definitions: dict[str, Any]) -> None:
    for name, definition in definitions.items():
        if schemas.setdefault(name, definition) != definition:
            raise ValueError(f"two payloads define different schemas named {name}; rename one")


def build(
    events: dict[str, EventDef], base: dict[str, Any] | None = None, consumed: Sequence[ConsumedDef] = ()
) -> dict[str, Any]:
    """The whole document: hand-kept info/servers from ``base``, everything else from the registry.

    A consumed subject that no service publishes yet gets its channel from the consumer's expected
    payload, titled as such, so the future publisher finds the contract it must keep.
    """
    base = base or {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for subject, event in events.items():
        key = identifier(event)
        data, definitions = data_schema(event)
        _add_definitions(schemas, definitions)
        messages[key] = _message(
            event.payload.__name__, event.type, event.summary, envelope_schema(event, data)
        )
        channels[key] = {
            "address": subject,
            "title": subject,
            "summary": event.summary,
            "messages": {event.payload.__name__: {"$ref": f"#/components/messages/{key}"}},
        }
        operations[f"send{key[:1].upper()}{key[1:]}"] = {
            "action": "send",
            "title": f"{event.service} publishes {event.name}",
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{event.payload.__name__}"}],
        }
    for expected in consumed:
        publisher, name, key = _subject_key(expected.subject)
        published = events.get(expected.subject)
        message = published.payload.__name__ if published is not None else expected.payload.__name__
        if published is None and key not in channels:
            data, definitions = data_schema(expected)
            _add_definitions(schemas, definitions)
            summary = f"Not published yet: the payload {expected.service} expects. {expected.summary}"
            envelope = _envelope(publisher, event_type(expected.subject), data)
            messages[key] = _message(message, event_type(expected.subject), summary, envelope)
            channels[key] = {
                "address": expected.subject,
                "title": expected.subject,
                "summary": summary,
                "messages": {message: {"$ref": f"#/components/messages/{key}"}},
            }
        operations[_camel("receive", expected.service, key[:1].upper() + key[1:])] = {
            "action": "receive",
            "title": f"{expected.service} consumes {publisher} {name}",
            "summary": expected.summary,
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{message}"}],
        }
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": copy.deepcopy(base.get("info") or DEFAULT_INFO),
        "defaultContentType": CONTENT_TYPE,
        "servers": copy.deepcopy(base.get("servers") or DEFAULT_SERVERS),
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def incompatibilities(events: dict[str, EventDef], consumed: Sequence[ConsumedDef]) -> list[str]:
    """Consumers that require a payload field the publisher of the subject does not send (top level)."""
    found = []
    for expected in consumed:
        published = events.get(expected.subject)
        if published is None:
            continue
        sent = set(published.payload.model_json_schema().get("properties", {}))
        required = set(expected.payload.model_json_schema().get("required", []))
        for field in sorted(required - sent):
            found.append(
                f"{expected.service} requires {field} on {expected.subject}; its publisher does not send it"
            )
    return found


def render(document: dict[str, Any]) -> str:
    """The YAML text of a document (stable: same input, same bytes)."""
    return HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)


def read(path: Path = CATALOGUE_PATH) -> dict[str, Any]:
    """The catalogue as it is on disk ({} when there is none yet)."""
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def problems(path: Path = CATALOGUE_PATH) -> list[str]:
    """Why the file on disk differs from what the code declares (empty when it is current)."""
    events = load_events()
    consumed = consumed_events()
    on_disk = read(path)
    listed = {c.get("address") for c in (on_disk.get("channels") or {}).values()}
    subjects = set(events) | {c.subject for c in consumed}
    found = [f"declared but not in {path.name}: {s}" for s in sorted(subjects) if s not in listed]
    found += [f"in {path.name} but not declared: {s}" for s in sorted(listed - subjects, key=str)]
    found += incompatibilities(events, consumed)
    document = build(events, on_disk, consumed)
    if not found and path.exists() and path.read_text(encoding="utf-8") != render(document):
        found.append(f"{path.name} is stale (a payload schema or summary changed)")
    return found


def main() -> int:
    """Regenerate (default) or check (--check) the catalogue."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when the catalogue is stale")
    parser.add_argument("--path", type=Path, default=CATALOGUE_PATH)
    args = parser.parse_args()
    if args.check:
        found = problems(args.path)
        for line in found:
            sys.stderr.write(line + "\n")
        if found:
            sys.stderr.write("run: python -m services.kit.asyncapi\n")
        return 1 if found else 0
    events = load_events()
    args.path.write_text(render(build(events, read(args.path), consumed_events())), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
