"""Per-request DataLoaders behind an elder's list fields (assessments, visits, devices, alarms).

A page of elders (``elders(first: 50)``) shows each one's assessments, visits, devices and alarms: one
call per elder and field would be N+1. The loaders gather the elders of one level of the query and
ask the services' batch reads (BatchListAssessments, BatchListElderVisits, BatchListDevices,
BatchListElderAlarms; 100 elders a call) once per field and filter, so a page costs a constant number
of calls whatever its size. The services scope and mask as their single reads do. An elder the batch
leaves out (gone, or moved out of the caller's regions between the list and the batch) fails only its
own field, NOT_FOUND.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, TypeVar
from weakref import WeakKeyDictionary

from minzheng.eldercare.v1 import elders_pb2 as epb
from minzheng.eldercare.v1 import safety_pb2 as spb
from strawberry.dataloader import DataLoader

from gateway.context import GatewayContext
from gateway.errors import graphql_error
from services.kit.errors import NotFound

# The batch reads take at most 100 elders; a bigger batch (two levels of lists) is split.
MAX_IDS_PER_CALL = 100
# An elder's devices fit one page (a home has a handful); the services' page limit is 200.
DEVICES_PER_ELDER = 200

Row = TypeVar("Row")
Shape = TypeVar("Shape", bound=Hashable)


@dataclass(frozen=True)
class ElderPageKey:
    """The newest ``first`` rows of one elder."""

    elder_id: str
    first: int


@dataclass(frozen=True)
class DevicesKey:
    elder_id: str
    status: int = spb.DEVICE_STATUS_UNSPECIFIED


@dataclass(frozen=True)
class AlarmsKey:
    """The newest ``first`` alarms of one elder (of one status, 0 = any)."""

    elder_id: str
    status: int
    first: int


class _ElderKey(Protocol):
    @property
    def elder_id(self) -> str: ...


Key = TypeVar("Key", bound=_ElderKey)


# One batch call: the shape (filters, page size) and up to 100 elder ids in, (elder id, rows) pairs out.
Fetch = Callable[[Shape, list[str]], Awaitable[list[tuple[str, list[Row]]]]]


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + MAX_IDS_PER_CALL] for i in range(0, len(ids), MAX_IDS_PER_CALL)]


def _absent(elder_id: str) -> Exception:
    # Gone, or moved out of the caller's regions between the list and the batch: its field only fails.
    return graphql_error(NotFound(f"elder {elder_id} not found"))


async def _load_batched(
    keys: Sequence[Key], shape: Callable[[Key], Shape], fetch: Fetch[Shape, Row]
) -> list[list[Row] | BaseException]:
    """The keys asking for the same shape go out together, 100 elders a call, all calls concurrently."""
    groups: dict[Shape, list[str]] = defaultdict(list)
    for key in keys:
        groups[shape(key)].append(key.elder_id)
    calls = [(s, chunk) for s, ids in groups.items() for chunk in _chunks(list(dict.fromkeys(ids)))]
    replies = await asyncio.gather(*(fetch(s, chunk) for s, chunk in calls))
    found = {
        (elder_id, s): rows for (s, _), reply in zip(calls, replies, strict=True) for elder_id, rows in reply
    }
    return [
        found[(k.elder_id, shape(k))] if (k.elder_id, shape(k)) in found else _absent(k.elder_id)
        for k in keys
    ]


class ElderLoaders:
    """The loaders of one request (a WebSocket context batches but never caches, like ``Loaders``)."""

    def __init__(self, ctx: GatewayContext) -> None:
        self._ctx = ctx
        self._cache = not ctx.websocket

    @cached_property
    def assessments(self) -> DataLoader[ElderPageKey, list[epb.CapabilityAssessment]]:
        """Elders' assessments, newest first: one BatchListAssessments per page size."""
        stub = self._ctx.clients.elders

        async def fetch(first: int, ids: list[str]) -> list[tuple[str, list[epb.CapabilityAssessment]]]:
            request = epb.BatchListAssessmentsRequest(elder_ids=ids, per_elder=first)
            reply = await self._ctx.call(stub.BatchListAssessments, request)
            return [(e.elder_id, list(e.assessments)) for e in reply.elders]

        async def load(keys: list[ElderPageKey]) -> Sequence[list[epb.CapabilityAssessment] | BaseException]:
            return await _load_batched(keys, lambda k: k.first, fetch)

        return DataLoader(load_fn=load, cache=self._cache)

    @cached_property
    def visits(self) -> DataLoader[ElderPageKey, list[epb.ElderVisit]]:
        """Elders' home visits, newest first: one BatchListElderVisits per page size."""
        stub = self._ctx.clients.elders

        async def fetch(first: int, ids: list[str]) -> list[tuple[str, list[epb.ElderVisit]]]:
            request = epb.BatchListElderVisitsRequest(elder_ids=ids, per_elder=first)
            reply = await self._ctx.call(stub.BatchListElderVisits, request)
            return [(e.elder_id, list(e.visits)) for e in reply.elders]

        async def load(keys: list[ElderPageKey]) -> Sequence[list[epb.ElderVisit] | BaseException]:
            return await _load_batched(keys, lambda k: k.first, fetch)

        return DataLoader(load_fn=load, cache=self._cache)

    @cached_property
    def devices(self) -> DataLoader[DevicesKey, list[spb.Device]]:
        """Elders' devices, oldest installation first: one BatchListDevices per status."""
        stub = self._ctx.clients.safety

        async def fetch(status: int, ids: list[str]) -> list[tuple[str, list[spb.Device]]]:
            request = spb.BatchListDevicesRequest(elder_ids=ids, status=status, per_elder=DEVICES_PER_ELDER)
            reply = await self._ctx.call(stub.BatchListDevices, request)
            return [(e.elder_id, list(e.devices)) for e in reply.elders]

        async def load(keys: list[DevicesKey]) -> Sequence[list[spb.Device] | BaseException]:
            return await _load_batched(keys, lambda k: k.status, fetch)

        return DataLoader(load_fn=load, cache=self._cache)

    @cached_property
    def alarms(self) -> DataLoader[AlarmsKey, list[spb.Alarm]]:
        """Elders' alarms, newest first: one BatchListElderAlarms per (status, page size)."""
        stub = self._ctx.clients.safety

        async def fetch(shape: tuple[int, int], ids: list[str]) -> list[tuple[str, list[spb.Alarm]]]:
            status, first = shape
            request = spb.BatchListElderAlarmsRequest(elder_ids=ids, status=status, per_elder=first)
            reply = await self._ctx.call(stub.BatchListElderAlarms, request)
            return [(e.elder_id, list(e.alarms)) for e in reply.elders]

        async def load(keys: list[AlarmsKey]) -> Sequence[list[spb.Alarm] | BaseException]:
            return await _load_batched(keys, lambda k: (k.status, k.first), fetch)

        return DataLoader(load_fn=load, cache=self._cache)


# Keyed by the request's context, so the loaders live and die with the request (or connection).
_LOADERS: WeakKeyDictionary[GatewayContext, ElderLoaders] = WeakKeyDictionary()


def elder_loaders(ctx: GatewayContext) -> ElderLoaders:
    """This request's elder loaders, made on first use."""
    loaders = _LOADERS.get(ctx)
    if loaders is None:
        loaders = _LOADERS[ctx] = ElderLoaders(ctx)
    return loaders
