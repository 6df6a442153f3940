"""A relay process SIGKILLed between publishing and marking: another finishes; nothing lost or doubled."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

from nats.js import JetStreamContext

from services.kit.db import Database
from services.kit.local_nats import LocalNats
from services.kit.settings import Settings
from tests.contract.kit.support import EVENT_NAME, read_stream, unpublished, write_events

REPO = Path(__file__).resolve().parents[3]
EVENTS = 100


async def _start_relay(database_url: str, nats_url: str, *extra: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.contract.kit.relay_proc",
        "--database",
        database_url,
        "--nats",
        nats_url,
        *extra,
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
    )


async def test_a_relay_killed_after_publishing_before_marking_loses_and_doubles_nothing(
    database_url: str, db: Database, js: JetStreamContext, settings: Settings, nats: LocalNats, service: str
) -> None:
    ids = await write_events(db, service, EVENTS)  # written by this process, relayed by others

    first = await _start_relay(
        database_url, nats.url, "--batch", "10", "--lease", "2", "--slow-mark", "30", "--slow-from", "3"
    )
    assert first.stdout is not None
    try:
        # Three batches reach JetStream; the third is never marked: the process dies while "marking".
        for _ in range(3):
            line = await asyncio.wait_for(first.stdout.readline(), 30)
            assert line.startswith(b"published 10"), line
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    assert first.returncode == -signal.SIGKILL
    assert await unpublished(db) == EVENTS - 20

    second = await _start_relay(database_url, nats.url, "--batch", "25", "--lease", "2")
    out, _ = await asyncio.wait_for(second.communicate(), 60)
    assert second.returncode == 0, out
    stats = json.loads(out.decode().strip().splitlines()[-1])
    # The rest went out; the rows the dead relay had published unmarked came back as duplicates: its
    # third batch, and on PostgreSQL possibly the fourth too, which the pipelined relay puts on the
    # wire while the third is still being marked (it is not reported until then).
    assert stats["published"] == EVENTS - 20, stats
    assert stats["duplicates"] in ((10,) if db.is_sqlite else (10, 20)), stats
    assert await unpublished(db) == 0

    msgs = await read_stream(js, settings.stream_name, f"civic.{service}.{EVENT_NAME}")
    assert sorted(json.loads(m.data)["id"] for m in msgs) == sorted(ids)
