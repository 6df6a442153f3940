"""Eldercare tables, one module per area, all on one metadata (``METADATA``, what migrations build).

Importing this package imports every table module, so ``METADATA`` is complete wherever it is used
(the migrations' env, the contract test that compares migrations with models).
"""

from __future__ import annotations

from services.eldercare.models.allowances import (
    ElderAllowancePayment,
    ElderAllowanceRun,
    ElderIdentityDigest,
    ElderReliefPeriod,
    VoucherAccount,
    VoucherEntry,
)
from services.eldercare.models.base import METADATA, EldercareTable
from services.eldercare.models.beds import Bed, BedAssignment, Institution
from services.eldercare.models.caregivers import Caregiver
from services.eldercare.models.elders import (
    CapabilityAssessment,
    Elder,
    ElderContact,
    ElderOverdueNotice,
    ElderVisit,
)
from services.eldercare.models.family_care import FamilyCareService
from services.eldercare.models.inspections import Hazard, Inspection
from services.eldercare.models.meals import MealProvider, MealProviderVillage, MealServed
from services.eldercare.models.renovation import RenovationItem, RenovationPlan, RenovationPlanLine
from services.eldercare.models.safety import SafetyAlarm, SafetyAlarmEscalation, SafetyAlarmStep, SafetyDevice

__all__ = [
    "METADATA",
    "Bed",
    "BedAssignment",
    "CapabilityAssessment",
    "Caregiver",
    "Elder",
    "ElderAllowancePayment",
    "ElderAllowanceRun",
    "ElderContact",
    "ElderIdentityDigest",
    "ElderOverdueNotice",
    "ElderReliefPeriod",
    "ElderVisit",
    "EldercareTable",
    "FamilyCareService",
    "Hazard",
    "Inspection",
    "Institution",
    "MealProvider",
    "MealProviderVillage",
    "MealServed",
    "RenovationItem",
    "RenovationPlan",
    "RenovationPlanLine",
    "SafetyAlarm",
    "SafetyAlarmEscalation",
    "SafetyAlarmStep",
    "SafetyDevice",
    "VoucherAccount",
    "VoucherEntry",
]
