"""Child-welfare tables, one module per area, all on one metadata (``METADATA``, what migrations build).

Importing this package imports every table module, so ``METADATA`` is complete wherever it is used
(the migrations' env, the contract test that compares migrations with models).
"""

from __future__ import annotations

from services.childwelfare.models.allowances import AllowancePayment, AllowanceRun
from services.childwelfare.models.base import METADATA, ChildWelfareTable
from services.childwelfare.models.cases import CaseConference, CaseEscalation, CaseStep, ProtectionCase
from services.childwelfare.models.facilities import (
    Adopter,
    AdoptionRegistration,
    ChildrenHome,
    ChildrenHomeLevel,
    ProtectionStation,
)
from services.childwelfare.models.proposals import ChildIdentityDigest, Proposal
from services.childwelfare.models.registry import (
    CategoryPeriod,
    Child,
    Guardian,
    NetworkMember,
    OverdueNotice,
    Visit,
)

__all__ = [
    "METADATA",
    "Adopter",
    "AdoptionRegistration",
    "AllowancePayment",
    "AllowanceRun",
    "CaseConference",
    "CaseEscalation",
    "CaseStep",
    "CategoryPeriod",
    "Child",
    "ChildIdentityDigest",
    "ChildWelfareTable",
    "ChildrenHome",
    "ChildrenHomeLevel",
    "Guardian",
    "NetworkMember",
    "OverdueNotice",
    "Proposal",
    "ProtectionCase",
    "ProtectionStation",
    "Visit",
]
