"""The published contracts match the code: gRPC stubs, the event catalogue, and what may be staged."""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pydantic import BaseModel
from sqlalchemy import MetaData

from services.kit import asyncapi
from services.kit.db import Database
from services.kit.event_catalog import ConsumedDef, EventDef, consumed_events, declared_events
from services.kit.outbox import stage_event
from services.kit.protogen import stale_stubs


class _Unlisted(BaseModel):
    """A payload no events module declares."""

    note: str


class _FakeSession:
    """Collects what stage_event adds, so no database is needed."""

    def __init__(self) -> None:
        self.added: list[object] = []

    def add(self, row: object) -> None:
        self.added.append(row)


@pytest.fixture(scope="module")
def events() -> dict[str, EventDef]:
    return asyncapi.load_events()


@pytest.fixture(scope="module")
def catalogue() -> dict:
    return asyncapi.read()


def _channel_for(catalogue: dict, subject: str) -> dict:
    matches = [c for c in catalogue["channels"].values() if c["address"] == subject]
    assert len(matches) == 1, f"{subject} should be listed exactly once in asyncapi.yaml"
    return matches[0]


def _resolve(catalogue: dict, ref: str) -> dict:
    node = catalogue
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_checked_in_grpc_stubs_are_what_protoc_makes_from_the_protos() -> None:
    assert stale_stubs() == []


def test_every_service_declares_events_and_the_eldercare_bed_events_are_among_them(
    events: dict[str, EventDef],
) -> None:
    assert {"civic.eldercare.bed-assigned", "civic.eldercare.bed-released"} <= set(events)


def test_the_catalogue_file_is_current() -> None:
    assert asyncapi.problems() == [], "run: python -m services.kit.asyncapi"


def test_the_catalogue_is_asyncapi_3_with_a_nats_server(catalogue: dict) -> None:
    assert catalogue["asyncapi"].startswith("3.")
    assert catalogue["info"]["title"] and catalogue["info"]["version"]
    assert any(server["protocol"] == "nats" for server in catalogue["servers"].values())


def test_every_declared_event_is_listed_with_exactly_its_payload_schema(
    events: dict[str, EventDef], catalogue: dict
) -> None:
    for subject, event in events.items():
        channel = _channel_for(catalogue, subject)
        (message_ref,) = channel["messages"].values()
        message = _resolve(catalogue, message_ref["$ref"])
        envelope = message["payload"]
        assert envelope["properties"]["type"]["const"] == event.type
        expected, definitions = asyncapi.data_schema(event)
        assert envelope["properties"]["data"] == expected, subject
        for name, definition in definitions.items():
            assert catalogue["components"]["schemas"][name] == definition
        # Besides the $refs moved to components, the schema is the payload model's own.
        plain = event.payload_schema()
        plain.pop("$defs", None)
        assert set(expected["properties"]) == set(plain["properties"])
        assert expected["required"] == plain["required"]


def test_every_listed_channel_is_sent_or_awaited_by_an_operation(catalogue: dict) -> None:
    used = {op["channel"]["$ref"] for op in catalogue["operations"].values()}
    assert used == {f"#/channels/{key}" for key in catalogue["channels"]}
    sent = {op["channel"]["$ref"] for op in catalogue["operations"].values() if op["action"] == "send"}
    for key, channel in catalogue["channels"].items():
        # A channel nobody sends on is one a consumer awaits from a service not written yet.
        assert f"#/channels/{key}" in sent or channel["summary"].startswith("Not published yet"), key


def test_the_catalogue_lists_no_subject_the_code_neither_publishes_nor_consumes(
    events: dict[str, EventDef], catalogue: dict
) -> None:
    listed = {c["address"] for c in catalogue["channels"].values()}
    assert listed == set(events) | {c.subject for c in consumed_events()}


def test_childwelfare_lists_what_it_consumes_from_relief_and_funeral(catalogue: dict) -> None:
    receives = {
        op["channel"]["$ref"].rsplit("/", 1)[-1]
        for op in catalogue["operations"].values()
        if op["action"] == "receive" and op["title"].startswith("childwelfare ")
    }
    assert receives == {
        "reliefAssistanceGranted",
        "reliefAssistanceSuspended",
        "reliefAssistanceTerminated",
        "funeralDeathRegistered",
    }
    granted = catalogue["components"]["messages"]["reliefAssistanceGranted"]["payload"]["properties"]["data"]
    assert {"household_id", "region_code", "programme", "members"} <= set(granted["required"])


def test_a_publisher_that_drops_a_field_its_consumer_requires_is_reported() -> None:
    class Expected(BaseModel):
        household_id: str
        programme: str

    class Sent(BaseModel):
        household_id: str

    published = EventDef(service="relief", name="assistance-granted", payload=Sent, summary="granted")
    consumed = ConsumedDef("childwelfare", published.subject, Expected, "proposals")
    assert asyncapi.incompatibilities({published.subject: published}, [consumed]) == [
        "childwelfare requires programme on civic.relief.assistance-granted; its publisher does not send it"
    ]
    # Once the publisher exists, the channel is its own; the consumer's operation points at it.
    doc = asyncapi.build({published.subject: published}, consumed=[consumed])
    (receive,) = [op for op in doc["operations"].values() if op["action"] == "receive"]
    assert receive["channel"] == {"$ref": "#/channels/reliefAssistanceGranted"}
    assert receive["messages"] == [{"$ref": "#/channels/reliefAssistanceGranted/messages/Sent"}]


def test_a_stale_catalogue_is_reported(tmp_path: Path, events: dict[str, EventDef]) -> None:
    doc = asyncapi.build(events)
    first = next(iter(doc["channels"]))
    del doc["channels"][first]
    path = tmp_path / "asyncapi.yaml"
    path.write_text(asyncapi.render(doc), encoding="utf-8")
    assert any("declared but not in" in p for p in asyncapi.problems(path))


def test_staging_a_payload_of_the_wrong_model_is_refused(events: dict[str, EventDef]) -> None:
    event = events["civic.eldercare.bed-assigned"]
    session = _FakeSession()
    with pytest.raises(TypeError):
        stage_event(session, event, _Unlisted(note="x"))  # type: ignore[arg-type]
    assert session.added == []


def test_staging_an_event_nobody_declared_is_refused() -> None:
    undeclared = EventDef(service="eldercare", name="bed-painted", payload=_Unlisted, summary="not declared")
    assert undeclared.subject not in declared_events()
    session = _FakeSession()
    with pytest.raises((TypeError, ValueError, LookupError)):
        stage_event(session, undeclared, _Unlisted(note="x"))  # type: ignore[arg-type]
    assert session.added == []


SERVICES_ROOT = Path(__file__).resolve().parents[2] / "services"


def test_every_services_events_module_is_registered_for_the_catalogue() -> None:
    registered = {e.value for e in entry_points(group=asyncapi.EVENTS_ENTRY_POINTS)}
    on_disk = {f"services.{p.parent.name}.events" for p in SERVICES_ROOT.glob("*/events.py")}
    assert on_disk <= registered, 'add the module to [project.entry-points."minzheng.events"]'


def _services_with_own_metadata() -> dict[str, tuple[MetaData, Path]]:
    """Services whose models module (or package) exports its own METADATA, with their migrations directory."""
    found: dict[str, tuple[MetaData, Path]] = {}
    candidates = [*SERVICES_ROOT.glob("*/models.py"), *SERVICES_ROOT.glob("*/models/__init__.py")]
    for service in sorted({path.relative_to(SERVICES_ROOT).parts[0] for path in candidates}):
        module = importlib.import_module(f"services.{service}.models")
        metadata = getattr(module, "METADATA", None)
        if isinstance(metadata, MetaData) and (SERVICES_ROOT / service / "migrations").is_dir():
            found[service] = (metadata, SERVICES_ROOT / service / "migrations")
    return found


SCHEMAS = _services_with_own_metadata()


def _table_of(diff: object) -> str | None:
    """The table an autogenerate diff entry is about (entries are tuples, or lists of tuples)."""
    entry = diff[0] if isinstance(diff, list) else diff
    assert isinstance(entry, tuple)
    if entry[0] in ("add_table", "remove_table"):
        return entry[1].name
    if entry[0] in ("add_index", "remove_index", "add_constraint", "remove_constraint"):
        return entry[1].table.name
    return entry[2]  # column-level entries: (op, schema, table, column, ...)


def test_the_services_with_tables_are_among_those_whose_schema_is_checked() -> None:
    assert {"eldercare", "childwelfare"} <= set(SCHEMAS)


@pytest.mark.parametrize("service", sorted(SCHEMAS))
async def test_a_services_migrations_build_exactly_the_tables_its_models_declare(
    service: str, database_url: str
) -> None:
    metadata, migrations = SCHEMAS[service]
    db = Database(database_url)
    try:
        await db.migrate(migrations)
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), metadata)
            )
    finally:
        await db.dispose()
    # Tables the kit owns (outbox, inbox, alembic_version) are not in the service's metadata.
    ours = [d for d in diff if _table_of(d) in metadata.tables]
    assert ours == [], f"{service}: models and migrations differ: {ours}"
