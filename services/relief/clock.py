"""The clock relief's servicers read "now" from: injected by ``spec.make_spec`` so tests can move it."""

from __future__ import annotations

from services.kit.periods import Clock, system_clock

__all__ = ["Clock", "system_clock"]
