"""Per-request DataLoaders behind an elder's list fields (assessments, visits, devices, alarms).

ElderService and HomeSafetyService take one elder per list call and ListAlarms takes no elder at all,
so there is no batch RPC to fold many elders into one call. What the loaders still buy for a list of
elders: each distinct elder (or, for alarms, each distinct region) is asked once, all of them
concurrently rather than field by field; alarms are fetched per region and split by elder, so a page
of elders from one village costs one ListAlarms call, not one per elder.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from weakref import WeakKeyDictionary

from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import elders_pb2 as epb
from minzheng.eldercare.v1 import safety_pb2 as spb
from strawberry.dataloader import DataLoader

from gateway.context import GatewayContext

# An elder's devices fit one page (a home has a handful); the services' page limit is 200.
DEVICES_PER_ELDER = 200
ALARM_PAGE = 200
# Alarms read per region before giving up on filling every elder's ``first``: beyond this an elder's
# older alarms are left to ``alarms(regionCode: ...)``, which pages without limit.
MAX_ALARM_PAGES = 5


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
    """The newest ``first`` alarms of one elder, found among the alarms of the elder's region."""

    elder_id: str
    region_code: str
    status: int
    first: int


class ElderLoaders:
    """The loaders of one request (a WebSocket context batches but never caches, like ``Loaders``)."""

    def __init__(self, ctx: GatewayContext) -> None:
        self._ctx = ctx
        self._cache = not ctx.websocket

    @cached_property
    def assessments(self) -> DataLoader[ElderPageKey, list[epb.CapabilityAssessment]]:
        """An elder's assessments, newest first."""
        stub = self._ctx.clients.elders

        async def load(keys: list[ElderPageKey]) -> Sequence[list[epb.CapabilityAssessment]]:
            replies = await asyncio.gather(
                *(
                    self._ctx.call(
                        stub.ListAssessments,
                        epb.ListAssessmentsRequest(
                            elder_id=k.elder_id, page=common_pb2.PageRequest(page_size=k.first)
                        ),
                    )
                    for k in keys
                )
            )
            return [list(r.assessments) for r in replies]

        return DataLoader(load_fn=load, cache=self._cache)

    @cached_property
    def visits(self) -> DataLoader[ElderPageKey, list[epb.ElderVisit]]:
        """An elder's home visits, newest first."""
        stub = self._ctx.clients.elders

        async def load(keys: list[ElderPageKey]) -> Sequence[list[epb.ElderVisit]]:
            replies = await asyncio.gather(
                *(
                    self._ctx.call(
                        stub.ListElderVisits,
                        epb.ListElderVisitsRequest(
                            elder_id=k.elder_id, page=common_pb2.PageRequest(page_size=k.first)
                        ),
                    )
                    for k in keys
                )
            )
            return [list(r.visits) for r in replies]

        return DataLoader(load_fn=load, cache=self._cache)

    @cached_property
    def devices(self) -> DataLoader[DevicesKey, list[spb.Device]]:
        """An elder's devices, oldest installation first."""
        stub = self._ctx.clients.safety

        async def load(keys: list[DevicesKey]) -> Sequence[list[spb.Device]]:
            replies = await asyncio.gather(
                *(
                    self._ctx.call(
                        stub.ListDevices,
                        spb.ListDevicesRequest(
                            elder_id=k.elder_id,
                            status=k.status,
                            page=common_pb2.PageRequest(page_size=DEVICES_PER_ELDER),
                        ),
                    )
                    for k in keys
                )
            )
            return [list(r.devices) for r in replies]

        return DataLoader(load_fn=load, cache=self._cache)

    @cached_property
    def alarms(self) -> DataLoader[AlarmsKey, list[spb.Alarm]]:
        """An elder's alarms, newest first: one paged ListAlarms per (region, status) in the batch."""

        async def load(keys: list[AlarmsKey]) -> Sequence[list[spb.Alarm]]:
            groups: dict[tuple[str, int], list[AlarmsKey]] = defaultdict(list)
            for key in keys:
                groups[(key.region_code, key.status)].append(key)
            found = await asyncio.gather(*(self._region_alarms(r, s, ks) for (r, s), ks in groups.items()))
            by_elder: dict[AlarmsKey, list[spb.Alarm]] = {}
            for group, rows in zip(groups.values(), found, strict=True):
                for key in group:
                    by_elder[key] = [a for a in rows if a.elder_id == key.elder_id][: key.first]
            return [by_elder[key] for key in keys]

        return DataLoader(load_fn=load, cache=self._cache)

    async def _region_alarms(self, region: str, status: int, keys: list[AlarmsKey]) -> list[spb.Alarm]:
        """A region's newest alarms, read until every elder asked for has ``first`` or pages run out."""
        stub = self._ctx.clients.safety
        wanted = {k.elder_id: k.first for k in keys}
        rows: list[spb.Alarm] = []
        token = ""
        for _ in range(MAX_ALARM_PAGES):
            request = spb.ListAlarmsRequest(
                region_code=region,
                status=status,
                page=common_pb2.PageRequest(page_size=ALARM_PAGE, page_token=token),
            )
            reply = await self._ctx.call(stub.ListAlarms, request)
            rows.extend(reply.alarms)
            token = reply.page_info.next_page_token
            counts: dict[str, int] = defaultdict(int)
            for alarm in rows:
                counts[alarm.elder_id] += 1
            if not token or all(counts[e] >= n for e, n in wanted.items()):
                break
        return rows


# Keyed by the request's context, so the loaders live and die with the request (or connection).
_LOADERS: WeakKeyDictionary[GatewayContext, ElderLoaders] = WeakKeyDictionary()


def elder_loaders(ctx: GatewayContext) -> ElderLoaders:
    """This request's elder loaders, made on first use."""
    loaders = _LOADERS.get(ctx)
    if loaders is None:
        loaders = _LOADERS[ctx] = ElderLoaders(ctx)
    return loaders
