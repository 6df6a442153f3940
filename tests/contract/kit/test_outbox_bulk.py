"""Staging in bulk writes, column for column, the rows ``stage_event`` writes, and they publish alike."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from nats.js import JetStreamContext
from pydantic import BaseModel

from services.kit import outbox, outbox_bulk
from services.kit.db import Database
from services.kit.outbox_bulk import Staged, stage_events
from services.kit.relay import OutboxRelay
from services.kit.settings import Settings
from tests.contract.kit.support import Thing, event_def, read_stream

NOW = datetime(2025, 6, 15, 2, 0, 0, 123000, tzinfo=UTC)
COLUMNS = ("nats_subject", "type", "source", "subject", "region", "data", "traceparent", "created_at")


@pytest.fixture
def declared(service: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test event declared for both staging paths only (not in the session's catalogue)."""
    ed = event_def(service)
    for module in (outbox, outbox_bulk):
        monkeypatch.setattr(module, "declared_events", lambda: {ed.subject: ed})


async def _rows(db: Database) -> dict[str, tuple[object, ...]]:
    async with db.read() as session:
        result = await session.exec(sa.text(f"SELECT id, {', '.join(COLUMNS)} FROM outbox"))  # type: ignore[call-overload]
        return {row[0]: tuple(row[1:]) for row in result.all()}


@pytest.mark.usefixtures("declared")
async def test_bulk_rows_equal_single_rows_and_publish_the_same_envelopes(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    ed = event_def(service)
    async with db.unit_of_work() as session:
        outbox.stage_event(
            session,
            ed,
            Thing(n=1, note='引号"和中文'),
            subject="s",
            region="330109001001",
            now=NOW,
            event_id=f"{service}-one",
        )
        staged = [
            Staged(f"{service}-two", Thing(n=1, note='引号"和中文'), subject="s", region="330109001001")
        ]
        assert await stage_events(session, ed, staged, now=NOW) == 1
        assert await stage_events(session, ed, [], now=NOW) == 0

    rows = await _rows(db)
    assert rows[f"{service}-one"] == rows[f"{service}-two"]

    assert await OutboxRelay(db, js, settings).publish_pending() == 2
    envelopes = {}
    for msg in await read_stream(js, settings.stream_name, ed.subject):
        body = json.loads(msg.data)
        envelopes[body.pop("id")] = body
    # Ids are unique on the stream (Nats-Msg-Id de-duplication), hence the service prefix.
    assert envelopes[f"{service}-one"] == envelopes[f"{service}-two"]


class Unrelated(BaseModel):
    n: int


@pytest.mark.usefixtures("declared")
async def test_a_wrong_payload_or_an_undeclared_event_is_refused(db: Database, service: str) -> None:
    async with db.unit_of_work() as session:
        with pytest.raises(TypeError, match="takes a Thing payload"):
            await stage_events(session, event_def(service), [Staged("x", Unrelated(n=1))], now=NOW)
        with pytest.raises(ValueError, match="not a declared event"):
            await stage_events(session, event_def("elsewhere"), [Staged("z", Thing(n=1))], now=NOW)
