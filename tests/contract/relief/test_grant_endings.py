"""When grants end without an officer ending them, and when a new grant must wait: the household left
empty, a termination dated ahead, two officers submitting at once. Both databases."""

# The fixtures come from application_support (not a conftest), so test parameters shadow their imports.
# ruff: noqa: F811

from __future__ import annotations

import asyncio

import grpc
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import households_pb2 as pb

from tests.contract.relief.application_support import (  # noqa: F401  (fixtures)
    DISTRICT_OFFICER,
    TOWN_REVIEWER,
    Apps,
    approve,
    apps,
    review,
    submit,
)
from tests.contract.relief.conftest import income, md, person, register

TERMINATED = "civic.relief.assistance-terminated.v1"


async def lone_dibao(svc: Apps, sequence: int) -> tuple[pb.Household, apb.Grant]:
    """A one-person household living on 500 yuan a month, granted 低保 (September 2024)."""
    household = await register(svc, person(sequence, name="独居"))
    await income(svc, household.id, household.members[0].person_id, 12 * 50_000)
    made = await submit(svc, household.id, "dibao")
    await review(svc, made.id)
    (grant,) = (await approve(svc, made.id)).grants
    return household, grant


async def test_the_last_member_leaving_ends_the_households_grants_from_that_day(apps: Apps) -> None:
    household, grant = await lone_dibao(apps, 301)
    await apps.households.RemoveMember(
        pb.RemoveMemberRequest(
            household_id=household.id,
            person_id=household.members[0].person_id,
            reason=pb.LEAVE_REASON_DIED,
            left_on="2024-09-15",
        ),
        metadata=md(TOWN_REVIEWER),
    )
    rows = await apps.rows(f"SELECT status, ended_on FROM assistance_grant WHERE id = '{grant.id}'")
    assert [(s, str(d)) for s, d in rows] == [("terminated", "2024-09-15")]
    (data,) = [r[0] for r in await apps.rows(f"SELECT data FROM outbox WHERE type = '{TERMINATED}'")]
    # Staged while the member still belonged: the event names them (by digest) for the other services.
    assert '"members":[{' in str(data).replace(" ", "") and "no member left" in str(data)


async def test_a_termination_dated_ahead_keeps_a_new_grant_of_the_programme_waiting(apps: Apps) -> None:
    household, grant = await lone_dibao(apps, 302)
    await apps.applications.TerminateGrant(
        apb.TerminateGrantRequest(id=grant.id, reason="迁出本区", effective_from="2024-10-01"),
        metadata=md(DISTRICT_OFFICER),
    )
    again = await submit(apps, household.id, "dibao")
    await review(apps, again.id)
    try:
        await approve(apps, again.id)
    except grpc.aio.AioRpcError as exc:
        assert exc.code() == grpc.StatusCode.FAILED_PRECONDITION and "dibao" in (exc.details() or "")
    else:
        raise AssertionError("a second 低保 grant overlapped one that runs until 1 October")
    assert len(await apps.rows(f"SELECT 1 FROM assistance_grant WHERE household_id = '{household.id}'")) == 1


async def test_two_officers_submitting_at_once_open_one_application(apps: Apps) -> None:
    household = await register(apps, person(303, name="并发"))
    outcomes = await asyncio.gather(
        *(submit(apps, household.id, "dibao") for _ in range(3)), return_exceptions=True
    )
    made = [o for o in outcomes if isinstance(o, apb.Application)]
    refused = [o for o in outcomes if isinstance(o, grpc.aio.AioRpcError)]
    assert len(made) == 1 and [r.code() for r in refused] == [grpc.StatusCode.FAILED_PRECONDITION] * 2
    assert await apps.rows(
        f"SELECT count(*) FROM relief_application WHERE household_id = '{household.id}'"
    ) == [(1,)]
