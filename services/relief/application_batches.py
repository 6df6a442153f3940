"""Several applications at once, each with its steps and grants: what a page of applications shows.

``BatchGetApplications`` answers a client (the gateway) listing applications with their histories,
which would otherwise cost one ``GetApplication`` per row. The applications are looked up inside the
caller's regions first; steps and grants are read for the visible ones only, one query each, so a
batch of 100 costs three queries. Ids elsewhere (or unknown) are left out, as if they did not exist.
"""

from __future__ import annotations

from collections.abc import Sequence

from minzheng.relief.v1 import applications_pb2 as pb
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.columns import in_regions
from services.kit.errors import Collector
from services.relief import grants
from services.relief.application_files import ApplicationFile, steps_of
from services.relief.models import ReliefApplication

MAX_IDS = 100


def parse_batch(request: pb.BatchGetApplicationsRequest) -> tuple[str, ...]:
    """1..100 non-empty ids, once each, in the order given."""
    errors = Collector()
    ids = tuple(dict.fromkeys(i.strip() for i in request.ids))
    errors.check(bool(ids), "ids", "at least one application id is required")
    errors.check(all(ids), "ids", "must not contain an empty id")
    errors.check(len(ids) <= MAX_IDS, "ids", f"at most {MAX_IDS} applications per call")
    errors.raise_if_any()
    return ids


async def visible_files(
    session: AsyncSession, *, scopes: Sequence[str], ids: Sequence[str]
) -> list[ApplicationFile]:
    """The applications among ``ids`` inside the scopes, in the order of ``ids``, with steps and grants."""
    stmt = select(ReliefApplication).where(
        col(ReliefApplication.id).in_(list(ids)), in_regions(col(ReliefApplication.region_code), scopes)
    )
    found = {a.id: a for a in (await session.exec(stmt)).all()}
    shown = [found[i] for i in ids if i in found]
    keys = [a.id for a in shown]
    steps = await steps_of(session, application_ids=keys)
    made = await grants.grants_of(session, application_ids=keys)
    return [ApplicationFile(a, steps.get(a.id, []), made.get(a.id, [])) for a in shown]
