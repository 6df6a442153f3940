"""The relay as a process of its own (``python -m services.kit.relay_main``, ``MINZHENG_RELAY=separate``)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext

from services.kit.db import Database
from services.kit.local_nats import LocalNats
from services.kit.relay_main import INLINE, SEPARATE, RemoteWake
from services.kit.settings import Settings, load_settings
from tests.contract.kit.support import EVENT_NAME, eventually, read_stream, unpublished, write_events

REPO = Path(__file__).resolve().parents[3]


async def _start(service: str, database_url: str, nats_url: str) -> asyncio.subprocess.Process:
    # Configured as a deployment configures it: the service's own variables, then the platform's.
    env = {
        **os.environ,
        f"{service.upper()}_DATABASE_URL": database_url,
        "MINZHENG_NATS_URL": nats_url,
        "MINZHENG_ENVIRONMENT": "test",
        "MINZHENG_LOG_FORMAT": "text",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.kit.relay_main",
        "--service",
        service,
        cwd=REPO,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    while b"outbox relay started" not in (line := await asyncio.wait_for(proc.stderr.readline(), 60)):
        assert line, "the relay process exited before it started relaying"
    return proc


async def test_the_relay_process_publishes_every_committed_event_once_and_stops_on_sigterm(
    database_url: str,
    db: Database,
    nc: NatsClient,
    js: JetStreamContext,
    settings: Settings,
    nats: LocalNats,
    service: str,
) -> None:
    before = await write_events(db, service, 30)  # committed before the relay process starts
    proc = await _start(service, database_url, nats.url)
    try:
        await eventually(lambda: _none_left(db), what="the events committed before it started published")
        # Committed while it runs, then a wake-up as the service sends one after a commit.
        after = await write_events(db, service, 20, start=30)
        RemoteWake(nc, service).notify()
        await eventually(lambda: _none_left(db), what="the events committed while it ran published")
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0

    msgs = await read_stream(js, settings.stream_name, f"civic.{service}.{EVENT_NAME}")
    assert sorted(json.loads(m.data)["id"] for m in msgs) == sorted(before + after)


async def _none_left(db: Database) -> bool:
    return await unpublished(db) == 0


def test_the_relay_runs_inside_the_service_unless_told_to_run_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINZHENG_RELAY", raising=False)
    assert load_settings("childwelfare").relay == INLINE
    monkeypatch.setenv("MINZHENG_RELAY", "separate")
    assert load_settings("childwelfare").relay == SEPARATE
    monkeypatch.setenv("CHILDWELFARE_RELAY", "inline")  # the service's own variable comes first
    assert load_settings("childwelfare").relay == INLINE
    monkeypatch.setenv("MINZHENG_RELAY", "elsewhere")
    monkeypatch.delenv("CHILDWELFARE_RELAY")
    with pytest.raises(ValueError, match="relay"):
        load_settings("childwelfare")
