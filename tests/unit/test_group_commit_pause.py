"""kit.group_commit's ``pause_s``: between back-to-back batches other work gets its turn first."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from services.kit.group_commit import GroupCommit


async def _order_of_work(pause_s: float) -> tuple[list[str], list[list[int]]]:
    """Two batches back to back; a task woken at the end of the first one logs when it runs."""
    log: list[str] = []
    batches: list[list[int]] = []
    first_done = asyncio.Event()

    async def handler(items: Sequence[int]) -> list[int]:
        batches.append(list(items))
        log.append(f"batch {len(batches)}")
        await asyncio.sleep(0.01)  # meanwhile the next callers queue up
        if len(batches) == 1:
            first_done.set()
        return list(items)

    async def other_writer() -> None:
        await first_done.wait()
        log.append("other")

    group = GroupCommit("test", handler, pause_s=pause_s)
    other = asyncio.create_task(other_writer())
    first = asyncio.create_task(group.submit(0))
    await asyncio.sleep(0)
    assert await asyncio.gather(first, *(group.submit(i) for i in (1, 2, 3))) == [0, 1, 2, 3]
    await other
    return log, batches


async def test_without_a_pause_the_next_batch_starts_before_anything_else_runs() -> None:
    log, batches = await _order_of_work(0.0)
    assert batches == [[0], [1, 2, 3]]
    assert log == ["batch 1", "batch 2", "other"]


async def test_with_a_pause_other_work_runs_between_batches_and_the_batches_are_the_same() -> None:
    log, batches = await _order_of_work(0.003)
    assert batches == [[0], [1, 2, 3]]
    assert log == ["batch 1", "other", "batch 2"]


async def test_a_lone_batch_does_not_pause() -> None:
    calls: list[list[int]] = []

    async def handler(items: Sequence[int]) -> list[int]:
        calls.append(list(items))
        return list(items)

    group = GroupCommit("test", handler, pause_s=3600.0)  # a pause would hang the test
    assert await group.submit(7) == 7
    assert await group.submit(8) == 8
    assert calls == [[7], [8]]
