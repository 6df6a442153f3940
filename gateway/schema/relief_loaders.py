"""Per-request DataLoaders behind a household's incomes, assets and eligibility.

HouseholdService lists households without their incomes and assets and has no batch read; the
assessment is one household per call too. What the loaders buy for a page of households: each
distinct household (and month) is asked once, all of them concurrently rather than field by field,
and a call that fails (a household without members cannot be assessed) fails only its own field.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from weakref import WeakKeyDictionary

from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import households_pb2 as hpb
from strawberry.dataloader import DataLoader

from gateway.context import GatewayContext


@dataclass(frozen=True)
class AssessmentKey:
    """One household assessed for one month ("" = this month)."""

    household_id: str
    month: str


class ReliefLoaders:
    """The loaders of one request (a WebSocket context batches but never caches, like ``Loaders``)."""

    def __init__(self, ctx: GatewayContext) -> None:
        self._ctx = ctx
        self._cache = not ctx.websocket

    @cached_property
    def household(self) -> DataLoader[str, hpb.Household]:
        """A household's whole file (members, incomes, assets) by id."""
        stub = self._ctx.clients.households

        async def load(keys: list[str]) -> Sequence[hpb.Household | BaseException]:
            return await asyncio.gather(
                *(self._ctx.call(stub.GetHousehold, hpb.GetHouseholdRequest(id=k)) for k in keys),
                return_exceptions=True,
            )

        return DataLoader(load_fn=load, cache=self._cache)

    @cached_property
    def assessment(self) -> DataLoader[AssessmentKey, epb.Assessment]:
        """A household's assessment for a month."""
        stub = self._ctx.clients.eligibility

        async def load(keys: list[AssessmentKey]) -> Sequence[epb.Assessment | BaseException]:
            return await asyncio.gather(
                *(
                    self._ctx.call(
                        stub.AssessHousehold,
                        epb.AssessHouseholdRequest(household_id=k.household_id, month=k.month),
                    )
                    for k in keys
                ),
                return_exceptions=True,
            )

        return DataLoader(load_fn=load, cache=self._cache)


# Keyed by the request's context, so the loaders live and die with the request (or connection).
_LOADERS: WeakKeyDictionary[GatewayContext, ReliefLoaders] = WeakKeyDictionary()


def relief_loaders(ctx: GatewayContext) -> ReliefLoaders:
    """This request's relief loaders, made on first use."""
    loaders = _LOADERS.get(ctx)
    if loaders is None:
        loaders = _LOADERS[ctx] = ReliefLoaders(ctx)
    return loaders
