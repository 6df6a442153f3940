"""The CIVIC stream and its dead-letter stream, created and updated idempotently."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nats.js import JetStreamContext
from nats.js.api import StorageType

from services.kit.local_nats import LocalNats
from services.kit.nats_conn import connect
from services.kit.settings import Settings
from services.kit.stream import (
    dead_letter_stream_name,
    dead_letter_subject,
    ensure_stream,
    original_subject,
    stream_config,
)


@pytest.fixture
async def private_js(tmp_path: Path) -> AsyncIterator[JetStreamContext]:
    """A nats-server of this test alone, so changing CIVIC's limits disturbs no other test."""
    server = LocalNats(tmp_path / "nats")
    await server.start_async()
    nc = await connect(server.url, name="stream-test")
    try:
        yield nc.jetstream()
    finally:
        await nc.close()
        server.stop()


async def test_ensure_stream_creates_both_streams_and_is_idempotent(private_js: JetStreamContext) -> None:
    settings = Settings(environment="test")
    info = await ensure_stream(private_js, settings)
    again = await ensure_stream(private_js, settings)
    assert again.created == info.created
    civic = info.config
    assert civic.name == "CIVIC" and civic.subjects == ["civic.>"]
    assert civic.storage == StorageType.FILE
    assert civic.duplicate_window == 1200 and civic.max_age == 365 * 86400
    assert civic.num_replicas == 1
    dlq = (await private_js.stream_info(dead_letter_stream_name(settings))).config
    assert dlq.name == "CIVIC_DLQ" and dlq.subjects == ["deadletter.>"] and dlq.storage == StorageType.FILE


async def test_ensure_stream_updates_changed_limits(private_js: JetStreamContext) -> None:
    await ensure_stream(private_js, Settings(environment="test"))
    changed = Settings(environment="test", stream_max_age_days=30, stream_duplicate_window_s=900)
    info = await ensure_stream(private_js, changed)
    assert info.config.max_age == 30 * 86400 and info.config.duplicate_window == 900
    dlq = (await private_js.stream_info("CIVIC_DLQ")).config
    assert dlq.max_age == 30 * 86400


def test_a_duplicate_window_under_ten_minutes_is_refused() -> None:
    with pytest.raises(ValueError, match="duplicate_window"):
        stream_config(Settings(environment="test", stream_duplicate_window_s=120))


def test_dead_letter_subjects_wrap_the_original() -> None:
    assert (
        dead_letter_subject("civic.funeral.death-registered") == "deadletter.civic.funeral.death-registered"
    )
    assert original_subject("deadletter.civic.funeral.death-registered") == "civic.funeral.death-registered"
    with pytest.raises(ValueError):
        original_subject("civic.funeral.death-registered")
