"""The relief items and re-check cadence in force, from ``relief_items.yaml`` (policy as data).

Read once when the servicers are built (``load_application_policy``), so a broken file stops the
service at start. ``$RELIEF_ITEMS_FILE`` names another file (a bureau's confirmed list of items).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from services.kit.policy import PolicyTable, default_policy_path, load_tables
from services.relief.application_rules import Programme, RecheckRule, ReliefItem

ITEMS_FILE_VARIABLE = "RELIEF_ITEMS_FILE"


@dataclass(frozen=True)
class ApplicationPolicy:
    """The relief items (by code) and the re-check rule per programme, effective-dated."""

    items: PolicyTable[ReliefItem]
    recheck: PolicyTable[RecheckRule]

    def items_on(self, day: date) -> dict[str, ReliefItem]:
        """Every item in force on ``day`` by code."""
        return self.items.in_force_on(day)

    def recheck_rule(self, programme: Programme, day: date) -> RecheckRule:
        """The re-check rule of a programme on ``day``; NoPolicyInForce (FAILED_PRECONDITION) if none."""
        return self.recheck.value_on(programme.value, day)

    def recheck_rules(self, day: date) -> dict[Programme, RecheckRule]:
        """The re-check rule of every programme that has one on ``day``."""
        return {Programme(k): v for k, v in self.recheck.in_force_on(day).items() if k in set(Programme)}


def load_application_policy(path: str | Path | None = None) -> ApplicationPolicy:
    """The policy from ``path``, ``$RELIEF_ITEMS_FILE`` or the packaged ``relief_items.yaml``."""
    source = path or os.environ.get(ITEMS_FILE_VARIABLE) or default_policy_path("relief_items")
    tables = load_tables(source, {"items": ReliefItem, "recheck": RecheckRule})
    return ApplicationPolicy(items=tables["items"], recheck=tables["recheck"])
