"""The garbage collector's view of a long-running process: what was built at start-up is set aside.

CPython's cyclic collector walks every tracked object of the generations it collects, and a full
collection walks them all: the imported modules, SQLAlchemy's mappers and compiled statements, the
protobuf descriptors, the pydantic schemas — hundreds of thousands of objects that live as long as
the process. Under load a full collection came every few seconds and stopped the event loop for tens of
milliseconds, which every call and event in flight waited out: eldercare ingesting 2,000 alarms a
second answered in 100–140 ms at each one, against 40–60 ms between them (bench/safety.py, the p99
per half second). ``gc.freeze()`` moves the objects alive at that moment to a permanent generation the
collector skips; collection goes on for everything made afterwards, so cycles are still freed.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


def freeze_startup_heap() -> int:
    """Collect once, then set every object alive now aside from later collections; how many."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.debug("%d start-up objects frozen out of garbage collection", frozen)
    return frozen
