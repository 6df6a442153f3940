"""Loading the elder-visit policy: the kit's packaged ``eldercare_visits.yaml`` or a file named in the env.

Kept apart from ``elder_rules`` because reading a file is I/O; the rules get the parsed ``VisitPolicy``.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from services.eldercare.elder_rules import VisitPolicy
from services.kit.policy import default_policy_path, load_tables
from services.kit.visits import Cadence, Escalation

POLICY_NAME = "eldercare_visits"
POLICY_ENV = "ELDERCARE_VISIT_POLICY_FILE"
VALUE_TYPES: dict[str, Any] = {"visit_cadence": Cadence, "visit_escalation": Escalation}


@cache
def load_visit_policy(path: str | None = None) -> VisitPolicy:
    """The visit cadence and escalation: ``path``, ``$ELDERCARE_VISIT_POLICY_FILE`` or the packaged file."""
    chosen = path or os.environ.get(POLICY_ENV) or default_policy_path(POLICY_NAME)
    tables = load_tables(chosen, VALUE_TYPES)
    return VisitPolicy(cadences=tables["visit_cadence"], escalations=tables["visit_escalation"])
