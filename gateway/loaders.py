"""DataLoaders, made per request: the beds of every institution in a response cost one ListBeds call,
the visit compliance of every child director in a response one GetVisitCompliance call, the steps and
grants of every relief application in a response one BatchGetApplications call (per 100)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from minzheng.childwelfare.v1 import childwelfare_pb2 as cw_pb
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from minzheng.relief.v1 import applications_pb2 as apb
from strawberry.dataloader import DataLoader

from gateway.errors import graphql_error
from services.kit.errors import NotFound

# ListBeds takes at most 500 institutions; a bigger batch is split (never happens below 500 nodes).
MAX_INSTITUTIONS_PER_CALL = 500

ListBeds = Callable[[pb.ListBedsRequest], Awaitable[pb.ListBedsResponse]]


@dataclass(frozen=True)
class BedsKey:
    """Beds of one institution, optionally narrowed by status and type (0 = any)."""

    institution_id: str
    status: int = pb.BED_STATUS_UNSPECIFIED
    type: int = pb.BED_TYPE_UNSPECIFIED


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def beds_loader(list_beds: ListBeds, *, cache: bool = True) -> DataLoader[BedsKey, list[pb.Bed]]:
    """A loader of beds by institution; keys sharing filters go out in one ListBeds call."""

    async def load(keys: list[BedsKey]) -> Sequence[list[pb.Bed]]:
        # Different filters on the same level of a query (aliases) need separate calls; the
        # common case, one filter for every institution in a list, is one call.
        groups: dict[tuple[int, int], list[str]] = defaultdict(list)
        for key in keys:
            groups[(key.status, key.type)].append(key.institution_id)
        requests = [
            (filters, pb.ListBedsRequest(institution_ids=chunk, status=filters[0], type=filters[1]))
            for filters, ids in groups.items()
            for chunk in _chunks(list(dict.fromkeys(ids)), MAX_INSTITUTIONS_PER_CALL)
        ]
        replies = await asyncio.gather(*(list_beds(request) for _, request in requests))
        found: dict[BedsKey, list[pb.Bed]] = defaultdict(list)
        for (filters, _), reply in zip(requests, replies, strict=True):
            for bed in reply.beds:
                found[BedsKey(bed.institution_id, *filters)].append(bed)
        return [found.get(key, []) for key in keys]

    return DataLoader(load_fn=load, cache=cache)


GetCompliance = Callable[[cw_pb.GetVisitComplianceRequest], Awaitable[cw_pb.GetVisitComplianceResponse]]


@dataclass(frozen=True)
class ComplianceKey:
    """Visit compliance of one group: a director (by subject), a town or a village (by code)."""

    grouping: int
    key: str


def compliance_loader(
    get_compliance: GetCompliance, *, cache: bool = True
) -> DataLoader[ComplianceKey, cw_pb.ComplianceRow | None]:
    """A loader of compliance rows; every key of one grouping costs one GetVisitCompliance call.

    The figures cover all of the caller's regions (the service scopes them); a group with no child in
    the visit programme there has no row (None).
    """

    async def load(keys: list[ComplianceKey]) -> Sequence[cw_pb.ComplianceRow | None]:
        groupings = list(dict.fromkeys(key.grouping for key in keys))
        replies = await asyncio.gather(
            *(get_compliance(cw_pb.GetVisitComplianceRequest(group_by=g)) for g in groupings)
        )
        found = {
            ComplianceKey(grouping, row.key): row
            for grouping, reply in zip(groupings, replies, strict=True)
            for row in reply.rows
        }
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load, cache=cache)


# BatchGetApplications takes at most 100 ids; a bigger batch is split.
MAX_APPLICATIONS_PER_CALL = 100

BatchGetApplications = Callable[
    [apb.BatchGetApplicationsRequest], Awaitable[apb.BatchGetApplicationsResponse]
]


def applications_loader(
    batch_get: BatchGetApplications, *, cache: bool = True
) -> DataLoader[str, apb.Application]:
    """A loader of whole applications (steps and grants) by id: 100 ids a BatchGetApplications call.

    An application the batch leaves out (gone, or outside the caller's regions by now) fails only the
    field that asked for it, NOT_FOUND, as GetApplication would.
    """

    async def load(ids: list[str]) -> Sequence[apb.Application | BaseException]:
        unique = list(dict.fromkeys(ids))
        replies = await asyncio.gather(
            *(
                batch_get(apb.BatchGetApplicationsRequest(ids=chunk))
                for chunk in _chunks(unique, MAX_APPLICATIONS_PER_CALL)
            )
        )
        found = {a.id: a for reply in replies for a in reply.applications}
        return [
            found[i] if i in found else graphql_error(NotFound(f"application {i} not found")) for i in ids
        ]

    return DataLoader(load_fn=load, cache=cache)
