"""The overdue scan with the outbox relay in a process of its own (``MINZHENG_RELAY=separate``).

The service then publishes nothing itself; ``python -m services.kit.relay_main --service childwelfare``
on the same database does, woken over core NATS after each commit. What reaches the CIVIC stream must
be what the inline relay would have published: one event per child and level.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import grpc
import pytest
from minzheng.childwelfare.v1.childwelfare_pb2_grpc import ChildWelfareServiceStub

from services.childwelfare.spec import make_spec
from services.kit.local_nats import LocalNats
from services.kit.relay_main import RELAY_MODE_ENV, SEPARATE
from services.kit.service import ServiceProcess
from services.kit.settings import load_settings
from tests.contract.childwelfare.conftest import (
    SECRET,
    VILLAGE_2,
    ChildWelfare,
    MovableClock,
    child_number,
    register,
)
from tests.contract.childwelfare.test_overdue_job import SINCE, _at, _levels, _network, overdue_events, scan

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
async def cw_apart(
    database_url: str, nats: LocalNats, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[ChildWelfare]:
    """childwelfare told that its relay runs elsewhere (no relay process started yet)."""
    monkeypatch.setenv(RELAY_MODE_ENV, SEPARATE)
    settings = load_settings(
        "childwelfare",
        database_url=database_url,
        nats_url=nats.url,
        grpc_port=0,
        jwt_secret=SECRET,
        environment="test",
        data_dir=tmp_path,
    )
    clock = MovableClock()
    process = ServiceProcess(make_spec(clock=clock), settings, schedule_jobs=False)
    await process.start()
    channel = grpc.aio.insecure_channel(process.address)
    try:
        yield ChildWelfare(process, channel, ChildWelfareServiceStub(channel), clock, nats.url)
    finally:
        await channel.close()
        await process.stop(grace_s=1)


async def _relay_process(database_url: str, nats_url: str) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "CHILDWELFARE_DATABASE_URL": database_url,
        "MINZHENG_NATS_URL": nats_url,
        "MINZHENG_ENVIRONMENT": "test",
        "MINZHENG_LOG_FORMAT": "text",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.kit.relay_main",
        "--service",
        "childwelfare",
        cwd=REPO,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    while b"outbox relay started" not in (line := await asyncio.wait_for(proc.stderr.readline(), 60)):
        assert line, "the relay process exited before it started relaying"
    return proc


async def test_a_separate_relay_process_publishes_what_the_scan_staged_once_per_child(
    cw_apart: ChildWelfare, database_url: str
) -> None:
    cw = cw_apart
    await _network(cw)
    children = [await register(cw, child_number(120 + i), since=SINCE) for i in range(3)]
    children.append(await register(cw, child_number(123), region=VILLAGE_2, since=SINCE))
    cw.clock.now = _at(date(2025, 7, 1))
    assert (await scan(cw.process)).published == 4
    # The service did not publish them itself: every outbox row (registrations too) still waits.
    assert await cw.count("outbox WHERE published_at IS NULL") == await cw.count("outbox") == 8

    proc = await _relay_process(database_url, cw.nats_url)
    try:
        events = await overdue_events(cw, [c.id for c in children])  # waits until none is left
        assert _levels(events) == {c.id: ["village"] for c in children}
        cw.clock.now = _at(date(2025, 7, 7))  # day 7: the town's, while the relay process runs
        assert (await scan(cw.process)).published == 4
        events = await overdue_events(cw, [c.id for c in children])
        assert _levels(events) == {c.id: ["village", "town"] for c in children}
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0
