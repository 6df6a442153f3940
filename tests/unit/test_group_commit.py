"""kit.group_commit: concurrent submissions share handler calls; outcomes reach the right callers."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Sequence

import pytest

from services.kit.errors import DomainError, NotFound
from services.kit.group_commit import GroupCommit

caller: contextvars.ContextVar[str] = contextvars.ContextVar("caller", default="nobody")


class Recorder:
    """A handler that doubles numbers, refuses negatives one by one, and fails a whole batch on 999."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.seen_as: list[str] = []

    async def __call__(self, items: Sequence[int]) -> list[int | DomainError]:
        self.batches.append(list(items))
        self.seen_as.append(caller.get())
        await asyncio.sleep(0.01)  # a transaction takes a while; meanwhile others queue up
        if 999 in items:
            raise RuntimeError("the database went away")
        return [NotFound(f"no {i}") if i < 0 else i * 2 for i in items]


async def test_callers_arriving_together_share_a_batch_and_each_gets_its_own_outcome() -> None:
    handler = Recorder()
    group = GroupCommit("test", handler)
    results = await asyncio.gather(*(group.submit(i) for i in range(50)))
    assert results == [i * 2 for i in range(50)]
    assert [len(b) for b in handler.batches] == [50]
    # A batch under way does not wait for more (there is no timer): latecomers form the next one.
    late = asyncio.create_task(group.submit(100))
    await asyncio.sleep(0)
    later = [asyncio.create_task(group.submit(i)) for i in (101, 102)]
    assert await asyncio.gather(late, *later) == [200, 202, 204]
    assert [len(b) for b in handler.batches] == [50, 1, 2]
    assert group.batches == 3 and group.items == 53


async def test_a_refused_item_fails_only_its_caller() -> None:
    group = GroupCommit("test", Recorder())
    outcomes = await asyncio.gather(*(group.submit(i) for i in (1, -2, 3)), return_exceptions=True)
    assert outcomes[0] == 2 and outcomes[2] == 6
    assert isinstance(outcomes[1], NotFound) and "no -2" in str(outcomes[1])


async def test_a_failing_batch_fails_every_caller_in_it_and_the_next_batch_still_runs() -> None:
    handler = Recorder()
    group = GroupCommit("test", handler)
    first = asyncio.create_task(group.submit(1))
    await asyncio.sleep(0)
    doomed = [asyncio.create_task(group.submit(i)) for i in (999, 5)]
    outcomes = await asyncio.gather(first, *doomed, return_exceptions=True)
    assert outcomes[0] == 2
    assert all(isinstance(o, RuntimeError) for o in outcomes[1:])
    assert await group.submit(7) == 14


async def test_batches_are_capped_and_run_outside_the_callers_context() -> None:
    handler = Recorder()
    group = GroupCommit("test", handler, max_batch=10)

    async def as_someone(i: int) -> int:
        caller.set(f"user-{i}")
        return await group.submit(i)

    assert await asyncio.gather(*(as_someone(i) for i in range(25))) == [i * 2 for i in range(25)]
    assert max(len(b) for b in handler.batches) == 10 and sum(map(len, handler.batches)) == 25
    assert set(handler.seen_as) == {"nobody"}  # never acting as whichever caller came first


async def test_submit_many_answers_each_item_in_order_with_its_exception() -> None:
    group = GroupCommit("test", Recorder())
    outcomes = await group.submit_many([3, -1, 4])
    assert outcomes[0] == 6 and outcomes[2] == 8 and isinstance(outcomes[1], NotFound)


async def test_a_caller_that_gives_up_does_not_disturb_the_others() -> None:
    group = GroupCommit("test", Recorder())
    first = asyncio.create_task(group.submit(1))
    await asyncio.sleep(0)
    impatient = asyncio.create_task(group.submit(2))
    patient = asyncio.create_task(group.submit(3))
    await asyncio.sleep(0)
    impatient.cancel()
    assert await first == 2 and await patient == 6
    with pytest.raises(asyncio.CancelledError):
        await impatient
