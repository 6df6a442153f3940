"""Per-request DataLoaders behind a listed household's file, grants, applications, flags and eligibility.

A page of households (``households``) shows each one's file, grants, applications and flags: one call
per household and field would be N+1. The loaders gather the keys of one level of the query and ask
HouseholdService.BatchGetHouseholds once per field (100 households a call), so a page costs a
constant number of calls whatever its size. Applications and flags are batched for their first page
only; ``after`` pages into one household, one call, as before. A household the batch leaves out
(gone, or moved out of the caller's regions between the list and the batch) fails only its own
field, NOT_FOUND. The assessment stays one household per call (the engine has no batch read); it is
asked once per distinct household and month, all of them concurrently.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from weakref import WeakKeyDictionary

from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import households_pb2 as hpb
from strawberry.dataloader import DataLoader

from gateway.context import GatewayContext
from gateway.errors import graphql_error
from services.kit.errors import NotFound

# BatchGetHouseholds takes at most 100 ids; a bigger batch (two levels of lists) is split.
MAX_IDS_PER_CALL = 100


@dataclass(frozen=True)
class AssessmentKey:
    """One household assessed for one month ("" = this month)."""

    household_id: str
    month: str


class Part(Enum):
    """What a household's bundle is asked to carry (one BatchGetHouseholds call per part and filter)."""

    FILE = "file"  # past members, incomes, assets
    GRANTS = "grants"
    APPLICATIONS = "applications"  # the first page
    FLAGS = "flags"  # the first page


@dataclass(frozen=True)
class BundleKey:
    """One household's part; for a first page, the state or status (0 = any) and the page size."""

    household_id: str
    part: Part
    filter: int = 0
    first: int = 0


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + MAX_IDS_PER_CALL] for i in range(0, len(ids), MAX_IDS_PER_CALL)]


def _request(ids: list[str], part: Part, filter: int, first: int) -> hpb.BatchGetHouseholdsRequest:
    request = hpb.BatchGetHouseholdsRequest(
        ids=ids, with_file=part is Part.FILE, with_grants=part is Part.GRANTS
    )
    if part is Part.APPLICATIONS:
        request.applications.CopyFrom(hpb.ApplicationsWanted(state=filter, page_size=first))
    elif part is Part.FLAGS:
        request.flags.CopyFrom(hpb.FlagsWanted(status=filter, page_size=first))
    return request


def _absent(household_id: str) -> Exception:
    # Gone, or moved out of the caller's regions between the list and the batch: its field only fails.
    return graphql_error(NotFound(f"household {household_id} not found"))


class ReliefLoaders:
    """The loaders of one request (a WebSocket context batches but never caches, like ``Loaders``)."""

    def __init__(self, ctx: GatewayContext) -> None:
        self._ctx = ctx
        self._cache = not ctx.websocket

    @cached_property
    def bundle(self) -> DataLoader[BundleKey, hpb.HouseholdBundle]:
        """Households' bundles: the keys asking for the same part and filter go out in one call."""
        stub = self._ctx.clients.households

        async def load(keys: list[BundleKey]) -> Sequence[hpb.HouseholdBundle | BaseException]:
            groups: dict[tuple[Part, int, int], list[str]] = defaultdict(list)
            for key in keys:
                groups[(key.part, key.filter, key.first)].append(key.household_id)
            calls = [
                (shape, _request(chunk, *shape))
                for shape, ids in groups.items()
                for chunk in _chunks(list(dict.fromkeys(ids)))
            ]
            replies = await asyncio.gather(*(self._ctx.call(stub.BatchGetHouseholds, r) for _, r in calls))
            found = {
                (b.household.id, *shape): b
                for (shape, _), reply in zip(calls, replies, strict=True)
                for b in reply.households
            }
            return [
                found.get((k.household_id, k.part, k.filter, k.first)) or _absent(k.household_id)
                for k in keys
            ]

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
