"""Loading the home-safety policy: escalation minutes per alarm kind, offline minutes per device kind.

Its own file (``services/kit/data/policy/eldercare_safety.yaml``, or ``$ELDERCARE_SAFETY_POLICY_FILE``).
Reading a file is I/O, so it lives here and ``safety_rules`` gets the parsed rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from services.eldercare.rules import CHINA_TZ
from services.eldercare.safety_rules import AlarmKind, DeviceKind, EscalationRule, OfflineRule
from services.kit.policy import PolicyTable, default_policy_path, load_tables

POLICY_NAME = "eldercare_safety"
POLICY_ENV = "ELDERCARE_SAFETY_POLICY_FILE"


def china_day(moment: datetime) -> date:
    """The calendar day in China of a moment (policy entries are in force on China's days)."""
    return moment.astimezone(CHINA_TZ).date()


@dataclass(frozen=True)
class SafetyPolicy:
    """The effective-dated thresholds of home safety."""

    escalation: PolicyTable[EscalationRule]
    offline: PolicyTable[OfflineRule]

    def escalation_rule(self, kind: AlarmKind, at: datetime) -> EscalationRule:
        """The escalation rule for an alarm of ``kind`` raised at ``at``."""
        return self.escalation.value_on(kind.value, china_day(at))

    def offline_rule(self, kind: DeviceKind, at: datetime) -> OfflineRule:
        """The offline rule for devices of ``kind`` as of ``at``."""
        return self.offline.value_on(kind.value, china_day(at))


@cache
def load_safety_policy(path: str | None = None) -> SafetyPolicy:
    """The safety policy from ``path``, ``$ELDERCARE_SAFETY_POLICY_FILE`` or the packaged file."""
    chosen = path or os.environ.get(POLICY_ENV) or default_policy_path(POLICY_NAME)
    tables = load_tables(chosen, {"alarm_escalation": EscalationRule, "device_offline": OfflineRule})
    return SafetyPolicy(escalation=tables["alarm_escalation"], offline=tables["device_offline"])
