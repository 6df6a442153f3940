"""The gateway's schema, assembled from each domain's part, with its limits and caches."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from gateway.errors import TypedErrors, log_errors
from gateway.schema.childwelfare import ChildWelfareMutation, ChildWelfareQuery
from gateway.schema.community import CommunityMutation, CommunityQuery
from gateway.schema.elder_allowances import ElderAllowanceMutation, ElderAllowanceQuery
from gateway.schema.eldercare import EldercareMutation, EldercareQuery
from gateway.schema.eldercare_family_care import FamilyCareMutation, FamilyCareQuery
from gateway.schema.eldercare_indicators import EldercareIndicatorQuery
from gateway.schema.elders import ElderMutation, ElderQuery
from gateway.schema.events import EventsSubscription
from gateway.schema.facilities import FacilitiesMutation, FacilitiesQuery
from gateway.schema.indicators import IndicatorQuery
from gateway.schema.proposals import ProposalMutation, ProposalQuery
from gateway.schema.protection import ProtectionMutation, ProtectionQuery
from gateway.schema.relief import ReliefQuery
from gateway.schema.relief_application_mutations import ReliefApplicationMutation
from gateway.schema.relief_applications import ReliefApplicationQuery
from gateway.schema.relief_care import ReliefCareMutation, ReliefCareQuery
from gateway.schema.relief_discovery import ReliefDiscoveryMutation, ReliefDiscoveryQuery
from gateway.schema.relief_indicators import ReliefIndicatorQuery
from gateway.schema.relief_mutations import ReliefMutation
from gateway.schema.relief_payments import ReliefPaymentMutation, ReliefPaymentQuery
from gateway.schema.safety import SafetyMutation, SafetyQuery

Query = merge_types(
    "Query",
    (
        EldercareQuery,
        ElderQuery,
        SafetyQuery,
        ElderAllowanceQuery,
        CommunityQuery,
        ChildWelfareQuery,
        IndicatorQuery,
        EldercareIndicatorQuery,
        FamilyCareQuery,
        ProposalQuery,
        ProtectionQuery,
        FacilitiesQuery,
        ReliefQuery,
        ReliefApplicationQuery,
        ReliefDiscoveryQuery,
        ReliefCareQuery,
        ReliefIndicatorQuery,
        ReliefPaymentQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        EldercareMutation,
        FamilyCareMutation,
        ElderMutation,
        SafetyMutation,
        ElderAllowanceMutation,
        CommunityMutation,
        ChildWelfareMutation,
        ProposalMutation,
        ProtectionMutation,
        FacilitiesMutation,
        ReliefMutation,
        ReliefApplicationMutation,
        ReliefDiscoveryMutation,
        ReliefCareMutation,
        ReliefPaymentMutation,
    ),
)
Subscription = merge_types("Subscription", (EventsSubscription,))

CACHE_SIZE = 512


class GatewaySchema(strawberry.Schema):
    """The Strawberry schema, logging only unexpected errors with a traceback."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log what the client's typed errors do not already explain."""
        log_errors(errors)


def _same_rules(extension: AddValidationRules) -> Callable[[], SchemaExtension]:
    # A fresh extension per request, but around the same rule classes: the validation cache is keyed
    # on them, so rebuilding the limiter each request (a new class each time) would never hit.
    rules = extension.validation_rules
    return lambda: AddValidationRules(rules)


def build_schema(*, max_depth: int = 10, max_tokens: int = 2000, max_aliases: int = 15) -> strawberry.Schema:
    """The schema with query limits, parse/validation caches and error masking (no per-field tracing)."""
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        _same_rules(QueryDepthLimiter(max_depth=max_depth)),
        _same_rules(MaxAliasesLimiter(max_alias_count=max_aliases)),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        TypedErrors,
    ]
    return GatewaySchema(query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions)


schema = build_schema()
