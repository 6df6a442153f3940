"""kit.heap: start-up objects set aside from garbage collection, later cycles still collected."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from services.kit.heap import freeze_startup_heap


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


@pytest.fixture
def frozen() -> Iterator[int]:
    try:
        yield freeze_startup_heap()
    finally:
        gc.unfreeze()  # the test process goes on with an ordinary heap


def test_objects_alive_at_start_are_frozen_and_collection_stays_on(frozen: int) -> None:
    assert frozen > 1000  # this interpreter's modules, functions, classes at least
    assert gc.get_freeze_count() > 1000  # (fewer than at the freeze once some are freed)
    assert gc.isenabled()


def test_a_cycle_made_after_the_freeze_is_still_collected(frozen: int) -> None:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None
