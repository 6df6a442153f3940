"""Eldercare in the community, assembled: meal assistance, home renovation, inspections, caregivers.

Each area lives in its own ``elder_*`` module (types and resolvers together, one service each); this
module only merges their Query and Mutation parts so the schema lists the community once.
"""

from __future__ import annotations

from strawberry.tools import merge_types

from gateway.schema.elder_caregivers import CaregiverMutation, CaregiverQuery
from gateway.schema.elder_inspections import InspectionMutation, InspectionQuery
from gateway.schema.elder_meals import MealMutation, MealQuery
from gateway.schema.elder_renovation import RenovationMutation, RenovationQuery

CommunityQuery = merge_types("CommunityQuery", (MealQuery, RenovationQuery, InspectionQuery, CaregiverQuery))
CommunityMutation = merge_types(
    "CommunityMutation", (MealMutation, RenovationMutation, InspectionMutation, CaregiverMutation)
)
