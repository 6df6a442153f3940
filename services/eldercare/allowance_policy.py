"""Loading the allowance policy: the packaged ``eldercare_allowances.yaml`` or a file named in the env.

Kept apart from ``allowance_rules`` because reading a file is I/O; the rules get the parsed tables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from services.eldercare.allowance_rules import AgeTier, VoucherGroup
from services.kit.policy import PolicyTable, default_policy_path, load_tables

POLICY_NAME = "eldercare_allowances"
POLICY_ENV = "ELDERCARE_ALLOWANCE_POLICY_FILE"


@dataclass(frozen=True)
class AllowancePolicy:
    """The two tables a run uses: old-age tiers and e-voucher groups."""

    old_age: PolicyTable[AgeTier]
    voucher: PolicyTable[VoucherGroup]


@cache
def load_allowance_policy(path: str | None = None) -> AllowancePolicy:
    """The allowance tables from ``path``, ``$ELDERCARE_ALLOWANCE_POLICY_FILE`` or the packaged file."""
    chosen = path or os.environ.get(POLICY_ENV) or default_policy_path(POLICY_NAME)
    tables = load_tables(chosen, {"old_age_allowance": AgeTier, "eldercare_voucher": VoucherGroup})
    return AllowancePolicy(old_age=tables["old_age_allowance"], voucher=tables["eldercare_voucher"])
