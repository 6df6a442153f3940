"""Loading child-welfare policy data: the kit's packaged ``childwelfare.yaml`` or a file named in the env.

Kept apart from ``rules`` because reading a file is I/O; ``rules`` gets the parsed ``VisitPolicy``.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from services.childwelfare.rules import VisitPolicy
from services.kit.policy import Money, PolicyTable, default_policy_path, load_tables
from services.kit.visits import Cadence, Escalation

POLICY_NAME = "childwelfare"
POLICY_ENV = "CHILDWELFARE_POLICY_FILE"
VALUE_TYPES: dict[str, Any] = {
    "living_allowance": Money,
    "visit_cadence": Cadence,
    "visit_escalation": Escalation,
}


@cache
def load_policy(path: str | None = None) -> dict[str, PolicyTable[Any]]:
    """Every child-welfare policy table from ``path``, ``$CHILDWELFARE_POLICY_FILE`` or the packaged file."""
    chosen = path or os.environ.get(POLICY_ENV) or default_policy_path(POLICY_NAME)
    return load_tables(chosen, VALUE_TYPES)


def load_visit_policy(path: str | None = None) -> VisitPolicy:
    """The visit cadences and overdue escalation thresholds per category."""
    tables = load_policy(path)
    return VisitPolicy(cadences=tables["visit_cadence"], escalations=tables["visit_escalation"])
