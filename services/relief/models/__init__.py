"""Relief tables, one module per area, all on one metadata (``METADATA``, what migrations build).

Importing this package imports every table module, so ``METADATA`` is complete wherever it is used
(the migrations' env, the contract test that compares migrations with models).
"""

from __future__ import annotations

from services.relief.models.applications import ReliefApplication, ReliefApplicationStep
from services.relief.models.base import METADATA, ReliefTable
from services.relief.models.care import ReliefCareClock, ReliefListItem, ReliefOverdueNotice, ReliefVisit
from services.relief.models.discovery import HouseholdFlag
from services.relief.models.finances import Asset, Income
from services.relief.models.grants import AssistanceGrant
from services.relief.models.households import (
    DigestKeyState,
    Household,
    Membership,
    Person,
    PersonIdentityDigest,
)
from services.relief.models.payments import (
    ReliefAssessment,
    ReliefClassificationRun,
    ReliefHouseholdFacts,
    ReliefOverpayment,
    ReliefPayment,
    ReliefPaymentRun,
    ReliefStandardsSnapshot,
)

__all__ = [
    "METADATA",
    "Asset",
    "AssistanceGrant",
    "DigestKeyState",
    "Household",
    "HouseholdFlag",
    "Income",
    "Membership",
    "Person",
    "PersonIdentityDigest",
    "ReliefApplication",
    "ReliefApplicationStep",
    "ReliefAssessment",
    "ReliefCareClock",
    "ReliefClassificationRun",
    "ReliefHouseholdFacts",
    "ReliefListItem",
    "ReliefOverdueNotice",
    "ReliefOverpayment",
    "ReliefPayment",
    "ReliefPaymentRun",
    "ReliefStandardsSnapshot",
    "ReliefTable",
    "ReliefVisit",
]
