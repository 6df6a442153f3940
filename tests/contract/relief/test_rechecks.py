"""Re-checks, a household's applications and grants, and households by programme, over gRPC on both
databases: the re-check moves the next one on or ends the grant, audited, scoped, refusals write nothing."""

# The fixtures come from application_support (not a conftest), so test parameters shadow their imports.
# ruff: noqa: F811

from __future__ import annotations

import json
from datetime import timedelta

import grpc
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import households_pb2 as pb

from services.relief.grants import event_id
from tests.contract.relief.application_support import (  # noqa: F401  (fixtures)
    DISTRICT_OFFICER,
    OTHER_TOWN_OFFICER,
    TOWN_REVIEWER,
    Apps,
    Watcher,
    apps,
    dibao_household,
    granted,
    outbox,
    review,
    submit,
    watch,
)
from tests.contract.relief.conftest import ADMIN, get, income, md, rpc_error, violated_fields

SUSPENDED = "civic.relief.assistance-suspended.v1"


def recheck(
    grant_id: str, outcome: apb.RecheckOutcome.ValueType, checked_on: str = "", note: str = ""
) -> apb.RecordRecheckRequest:
    """A RecordRecheck request."""
    return apb.RecordRecheckRequest(id=grant_id, outcome=outcome, checked_on=checked_on, note=note)


async def worklist(apps: Apps, token: str = TOWN_REVIEWER) -> list[str]:
    """The grant ids on the caller's re-check worklist."""
    reply = await apps.applications.ListRecheckWorklist(apb.ListRecheckWorklistRequest(), metadata=md(token))
    return [g.id for g in reply.grants]


async def test_a_continued_recheck_moves_the_next_one_a_year_on_and_leaves_the_worklist(apps: Apps) -> None:
    grant = (await granted(apps)).grants[0]  # from 2024-09-15, due 2025-09-15
    assert (grant.monthly_amount_fen, grant.assessment.month) == (120_400, "2024-09")
    apps.clock.now += timedelta(days=340)  # 2025-08-21: on the worklist
    assert await worklist(apps) == [grant.id]
    done = await apps.applications.RecordRecheck(
        recheck(grant.id, apb.RECHECK_OUTCOME_CONTINUE, note="家访核实，情况未变"), metadata=md(TOWN_REVIEWER)
    )
    assert done.status == apb.GRANT_STATUS_ACTIVE and done.recheck_due_on == "2026-08-21"
    # Re-assessed for August 2025: the 2025 standard (1166.67 a person) for two, less what is left in the
    # window 2024-08..2025-07 of the 2023-09..2024-08 wages (August 2024's 31 of 366 days, over 12 months).
    assert done.monthly_amount_fen == 2 * 116_667 - 8_469
    assert (done.assessment.month, done.assessment.classification) == ("2025-08", epb.CLASSIFICATION_DIBAO)
    assert done.assessment.amount_fen == done.monthly_amount_fen
    assert json.loads(done.assessment.snapshot_json)["month"] == "2025-08"
    stored = await apps.rows(f"SELECT monthly_amount_fen FROM assistance_grant WHERE id = '{grant.id}'")
    assert stored == [(done.monthly_amount_fen,)]
    assert await worklist(apps) == []
    rows = await apps.rows("SELECT actor, detail FROM audit_log WHERE action = 'grant.recheck'")
    assert rows == [
        (
            "chengxiang-officer",
            "re-checked on 2025-08-21: continue (was due 2025-09-15); assessed 2025-08 dibao 2248.65 "
            "yuan/month (was 2024-09 dibao 1204.00 yuan/month)",
        )
    ]


async def test_a_household_no_longer_qualifying_cannot_continue_on_a_recheck(apps: Apps) -> None:
    approved = await granted(apps)
    grant = approved.grants[0]
    apps.clock.now += timedelta(days=340)  # 2025-08-21
    head = (await get(apps, approved.household_id)).members[0].person_id
    # The head found work: 3,000 yuan a month from September 2024. Per person about 1417 yuan a month,
    # above the 低保 standard (1166.67) and below twice it: 低边, no longer 低保.
    await income(apps, approved.household_id, head, 11 * 300_000, "2024-09-01", "2025-07-31")
    before = await apps.app_counts()
    refused = await rpc_error(
        apps.applications.RecordRecheck(
            recheck(grant.id, apb.RECHECK_OUTCOME_CONTINUE), metadata=md(TOWN_REVIEWER)
        )
    )
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "classified as dibian" in refused.details() and "not dibao" in refused.details()
    assert "2025-08" in refused.details()
    assert await apps.app_counts() == before
    unchanged = await apps.applications.ListGrants(
        apb.ListGrantsRequest(household_id=approved.household_id), metadata=md(TOWN_REVIEWER)
    )
    assert [(g.monthly_amount_fen, g.recheck_due_on) for g in unchanged.grants] == [(120_400, "2025-09-15")]
    ended = await apps.applications.RecordRecheck(
        recheck(grant.id, apb.RECHECK_OUTCOME_TERMINATE, note="收入超过低保标准"),
        metadata=md(DISTRICT_OFFICER),
    )
    assert ended.status == apb.GRANT_STATUS_TERMINATED and ended.ended_on == "2025-08-21"


async def test_a_recheck_on_a_given_day_counts_the_interval_from_that_day(apps: Apps) -> None:
    grant = (await granted(apps)).grants[0]
    apps.clock.now += timedelta(days=340)
    done = await apps.applications.RecordRecheck(
        recheck(grant.id, apb.RECHECK_OUTCOME_CONTINUE, checked_on="2025-08-01"), metadata=md(ADMIN)
    )
    assert done.recheck_due_on == "2026-08-01"


async def test_a_recheck_that_suspends_ends_the_grant_and_publishes_suspended(
    apps: Apps, watch: Watcher
) -> None:
    grant = (await granted(apps)).grants[0]
    apps.clock.now += timedelta(days=340)
    refused = await rpc_error(
        apps.applications.RecordRecheck(
            recheck(grant.id, apb.RECHECK_OUTCOME_SUSPEND), metadata=md(DISTRICT_OFFICER)
        )
    )
    assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(refused) == {"note"}
    denied = await rpc_error(
        apps.applications.RecordRecheck(
            recheck(grant.id, apb.RECHECK_OUTCOME_SUSPEND, note="收入增加"), metadata=md(TOWN_REVIEWER)
        )
    )
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    done = await apps.applications.RecordRecheck(
        recheck(grant.id, apb.RECHECK_OUTCOME_SUSPEND, note="收入增加"), metadata=md(DISTRICT_OFFICER)
    )
    assert done.status == apb.GRANT_STATUS_SUSPENDED and done.suspended_from == "2025-08-21"
    event = await watch.until(SUSPENDED, grant.id)
    assert event["id"] == event_id(grant.id, "suspended") and event["data"]["reason"] == "收入增加"
    before = await apps.app_counts()
    again = await rpc_error(
        apps.applications.RecordRecheck(
            recheck(grant.id, apb.RECHECK_OUTCOME_CONTINUE), metadata=md(DISTRICT_OFFICER)
        )
    )
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION and await apps.app_counts() == before
    assert len(await outbox(apps, SUSPENDED)) == 1


async def test_bad_rechecks_name_the_field_and_others_grants_are_not_found(apps: Apps) -> None:
    grant = (await granted(apps)).grants[0]
    before = await apps.app_counts()
    bad = await rpc_error(
        apps.applications.RecordRecheck(
            recheck(grant.id, apb.RECHECK_OUTCOME_UNSPECIFIED, checked_on="2030-01-01"), metadata=md(ADMIN)
        )
    )
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(bad) == {"outcome", "checked_on"}
    early = await rpc_error(
        apps.applications.RecordRecheck(
            recheck(grant.id, apb.RECHECK_OUTCOME_CONTINUE, checked_on="2024-09-01"), metadata=md(ADMIN)
        )
    )
    assert early.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(early) == {"checked_on"}
    elsewhere = await rpc_error(
        apps.applications.RecordRecheck(
            recheck(grant.id, apb.RECHECK_OUTCOME_CONTINUE), metadata=md(OTHER_TOWN_OFFICER)
        )
    )
    assert elsewhere.code() == grpc.StatusCode.NOT_FOUND
    assert await apps.app_counts() == before


async def test_a_households_applications_and_grants_are_listed_for_it_alone(apps: Apps) -> None:
    approved = await granted(apps)
    other = await dibao_household(apps, first_sequence=301)
    await submit(apps, other.id)
    mine = await apps.applications.ListApplications(
        apb.ListApplicationsRequest(household_id=approved.household_id), metadata=md(TOWN_REVIEWER)
    )
    assert [a.id for a in mine.applications] == [approved.id] and mine.page_info.total_count == 1
    grants = await apps.applications.ListGrants(
        apb.ListGrantsRequest(household_id=approved.household_id), metadata=md(TOWN_REVIEWER)
    )
    assert [g.id for g in grants.grants] == [approved.grants[0].id]
    none = await apps.applications.ListGrants(
        apb.ListGrantsRequest(household_id=other.id), metadata=md(ADMIN)
    )
    assert list(none.grants) == []
    hidden = await rpc_error(
        apps.applications.ListGrants(
            apb.ListGrantsRequest(household_id=approved.household_id), metadata=md(OTHER_TOWN_OFFICER)
        )
    )
    assert hidden.code() == grpc.StatusCode.NOT_FOUND


async def test_households_filter_by_the_programme_of_their_open_grant(apps: Apps) -> None:
    approved = await granted(apps)
    pending = await dibao_household(apps, first_sequence=311)
    await review(apps, (await submit(apps, pending.id)).id)

    async def holding(programme: int, token: str = ADMIN) -> list[str]:
        reply = await apps.households.ListHouseholds(
            pb.ListHouseholdsRequest(programme=programme), metadata=md(token)
        )
        return [h.id for h in reply.households]

    assert await holding(epb.CLASSIFICATION_DIBAO) == [approved.household_id]
    assert await holding(epb.CLASSIFICATION_TEKUN) == []
    assert await holding(epb.CLASSIFICATION_DIBAO, OTHER_TOWN_OFFICER) == []
    assert len(await holding(epb.CLASSIFICATION_UNSPECIFIED)) == 2
    bad = await rpc_error(
        apps.households.ListHouseholds(
            pb.ListHouseholdsRequest(programme=epb.CLASSIFICATION_NONE), metadata=md(ADMIN)
        )
    )
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(bad) == {"programme"}
    await apps.applications.TerminateGrant(
        apb.TerminateGrantRequest(id=approved.grants[0].id, reason="迁出"), metadata=md(DISTRICT_OFFICER)
    )
    assert await holding(epb.CLASSIFICATION_DIBAO) == []
