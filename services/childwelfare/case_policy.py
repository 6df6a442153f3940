"""Loading the protection-case policy: the hours a mandatory report may wait for a response.

Its own file (``services/kit/data/policy/childwelfare_cases.yaml``, or ``$CHILDWELFARE_CASE_POLICY_FILE``)
so the rest of child welfare's strictly loaded policy file is untouched. Reading a file is I/O, so it
lives here and ``case_rules`` gets the parsed ``ResponseRule``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import cache

from services.childwelfare.case_rules import ResponseRule
from services.kit.policy import PolicyTable, default_policy_path, load_tables

POLICY_NAME = "childwelfare_cases"
POLICY_ENV = "CHILDWELFARE_CASE_POLICY_FILE"
DEFAULT_KEY = "default"


@dataclass(frozen=True)
class CasePolicy:
    """The effective-dated response rule for mandatory reports."""

    response: PolicyTable[ResponseRule]

    def response_rule(self, day: date) -> ResponseRule:
        """The rule in force on ``day`` (a report's deadline is fixed by the rule of the day it came in)."""
        return self.response.value_on(DEFAULT_KEY, day)


@cache
def load_case_policy(path: str | None = None) -> CasePolicy:
    """The case policy from ``path``, ``$CHILDWELFARE_CASE_POLICY_FILE`` or the packaged file."""
    chosen = path or os.environ.get(POLICY_ENV) or default_policy_path(POLICY_NAME)
    tables = load_tables(chosen, {"case_response": ResponseRule})
    return CasePolicy(response=tables["case_response"])
