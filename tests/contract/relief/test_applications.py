"""Relief applications (一件事) over gRPC on both databases: the lifecycle, its refusals, grants and events.

Real service, real socket, real NATS; the service's clock is moved for the re-check worklist.
"""

# The fixtures come from application_support (not a conftest), so test parameters shadow their imports.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import grpc
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import households_pb2 as hpb

from services.kit.auth import Role
from services.relief.grants import event_id
from tests.contract.relief.application_support import (  # noqa: F401  (fixtures)
    DISTRICT_OFFICER,
    DISTRICT_OFFICER_2,
    OTHER_TOWN_OFFICER,
    TOWN_REVIEWER,
    Apps,
    Watcher,
    approve,
    apps,
    dibao_household,
    granted,
    outbox,
    reject,
    review,
    submit,
    watch,
)
from tests.contract.relief.conftest import (
    ADMIN,
    CODEC,
    DISTRICT,
    OTHER_VILLAGE,
    VILLAGE,
    id_number,
    income,
    md,
    rpc_error,
    violated_fields,
)

GRANTED = "civic.relief.assistance-granted.v1"
SUSPENDED = "civic.relief.assistance-suspended.v1"
TERMINATED = "civic.relief.assistance-terminated.v1"


async def test_submit_review_approve_grants_dibao_and_publishes_assistance_granted(
    apps: Apps, watch: Watcher
) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id)
    assert made.state == apb.APPLICATION_STATE_SUBMITTED and list(made.items) == ["dibao", "medical"]
    assert made.commitment.signed_by == "李明" and made.region_code == VILLAGE
    reviewed = await review(apps, made.id)
    assert reviewed.state == apb.APPLICATION_STATE_REVIEWED and reviewed.reviewed_by == "chengxiang-officer"
    assert reviewed.assessment.classification == epb.CLASSIFICATION_DIBAO
    assert reviewed.assessment.month == "2024-09"
    assert reviewed.assessment.amount_fen == 2 * 110_200 - 100_000  # the gap to the standard, two members
    assert json.loads(reviewed.assessment.snapshot_json)["household"]["household_id"] == household.id
    approved = await approve(apps, made.id)
    assert approved.state == apb.APPLICATION_STATE_APPROVED and approved.decided_by == "district-officer"
    assert [s.action for s in approved.steps] == ["submit", "review", "approve"]
    (grant,) = approved.grants
    assert grant.programme == epb.CLASSIFICATION_DIBAO and grant.status == apb.GRANT_STATUS_ACTIVE
    assert (grant.effective_from, grant.recheck_due_on) == ("2024-09-15", "2025-09-15")
    assert grant.monthly_amount_fen == 120_400 and grant.application_id == made.id

    ((row_id, subject, region, data),) = await outbox(apps, GRANTED)
    assert (row_id, subject, region) == (event_id(grant.id, "granted"), grant.id, VILLAGE)
    event = await watch.until(GRANTED, grant.id)
    assert event["id"] == row_id and event["data"] == json.loads(str(data))
    payload = event["data"]
    assert (payload["household_id"], payload["programme"], payload["region_code"]) == (
        household.id,
        "dibao",
        VILLAGE,
    )
    assert payload["effective_from"] == "2024-09-15" and len(payload["members"]) == 2
    assert {m["person_ref"] for m in payload["members"]} == {m.person_id for m in household.members}
    assert all(len(m["id_digest"]) == 64 for m in payload["members"])
    text = json.dumps(event)
    assert id_number(101) not in text and id_number(102) not in text  # no clear ID numbers travel


async def test_the_reviewer_may_not_approve_and_nothing_is_written(apps: Apps) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id)
    await review(apps, made.id, token=ADMIN)
    before = await apps.app_counts()
    refused = await rpc_error(approve(apps, made.id, token=ADMIN))
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION and "another officer" in refused.details()
    refused = await rpc_error(reject(apps, made.id, token=ADMIN))
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert await apps.app_counts() == before
    assert (await approve(apps, made.id)).state == apb.APPLICATION_STATE_APPROVED


async def test_an_application_without_the_credit_commitment_is_refused(apps: Apps) -> None:
    household = await dibao_household(apps)
    before = await apps.app_counts()
    refused = await rpc_error(submit(apps, household.id, signed=False))
    assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(refused) == {"commitment"}
    assert "守信承诺" in refused.details()
    assert await apps.app_counts() == before


async def test_approval_of_an_application_whose_commitment_is_missing_is_refused(apps: Apps) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id)
    await review(apps, made.id)
    # An application carried over from an older system without its 守信承诺.
    await apps.execute(f"UPDATE relief_application SET commitment_signed_by = NULL WHERE id = '{made.id}'")
    before = await apps.app_counts()
    refused = await rpc_error(approve(apps, made.id))
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION and "守信承诺" in refused.details()
    assert await apps.app_counts() == before


async def test_of_two_approvals_at_once_one_grants_and_one_is_refused(apps: Apps) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id)
    await review(apps, made.id)
    results = await asyncio.gather(
        approve(apps, made.id, token=DISTRICT_OFFICER),
        approve(apps, made.id, token=DISTRICT_OFFICER_2),
        return_exceptions=True,
    )
    approved = [r for r in results if isinstance(r, apb.Application)]
    refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(approved) == 1 and len(refused) == 1, results
    assert refused[0].code() == grpc.StatusCode.FAILED_PRECONDITION
    counts = await apps.app_counts()
    assert counts["assistance_grant"] == 1 and counts["relief_application_step"] == 3
    assert len(await outbox(apps, GRANTED)) == 1


async def test_unknown_items_and_two_programmes_are_refused_naming_the_field(apps: Apps) -> None:
    household = await dibao_household(apps)
    refused = await rpc_error(submit(apps, household.id, "dibao", "lottery"))
    assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(refused) == {"items[1]"}
    refused = await rpc_error(submit(apps, household.id, "dibao", "tekun"))
    assert violated_fields(refused) == {"items"}
    assert (await apps.app_counts())["relief_application"] == 0


async def test_a_rejection_needs_a_reason_and_an_appeal_may_succeed_once(apps: Apps) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id)
    await review(apps, made.id)
    before = await apps.app_counts()
    refused = await rpc_error(reject(apps, made.id, reason="  "))
    assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(refused) == {"reason"}
    assert await apps.app_counts() == before
    rejected = await reject(apps, made.id, reason="资料不全")
    assert rejected.state == apb.APPLICATION_STATE_REJECTED and rejected.reason == "资料不全"
    appealed = await apps.applications.AppealApplication(
        apb.AppealApplicationRequest(id=made.id, reason="已补齐资料"), metadata=md(TOWN_REVIEWER)
    )
    assert appealed.state == apb.APPLICATION_STATE_APPEALED and appealed.appeal_reason == "已补齐资料"
    # Who rejected may not decide the appeal.
    same = await rpc_error(
        apps.applications.DecideAppeal(
            apb.DecideAppealRequest(id=made.id, upheld=True, reason="复核"), metadata=md(DISTRICT_OFFICER)
        )
    )
    assert same.code() == grpc.StatusCode.FAILED_PRECONDITION
    upheld = await apps.applications.DecideAppeal(
        apb.DecideAppealRequest(id=made.id, upheld=True, reason="复核属实"), metadata=md(DISTRICT_OFFICER_2)
    )
    assert upheld.state == apb.APPLICATION_STATE_APPROVED and len(upheld.grants) == 1
    assert [s.action for s in upheld.steps][-3:] == ["reject", "appeal", "uphold_appeal"]
    assert len(await outbox(apps, GRANTED)) == 1


async def test_who_recorded_an_appeal_may_not_decide_it(apps: Apps) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id)
    await review(apps, made.id)
    await reject(apps, made.id, reason="资料不全")
    await apps.applications.AppealApplication(
        apb.AppealApplicationRequest(id=made.id, reason="已补齐资料"), metadata=md(DISTRICT_OFFICER_2)
    )
    own = await rpc_error(
        apps.applications.DecideAppeal(
            apb.DecideAppealRequest(id=made.id, upheld=True, reason="复核"), metadata=md(DISTRICT_OFFICER_2)
        )
    )
    assert own.code() == grpc.StatusCode.FAILED_PRECONDITION and "appealed" in (own.details() or "")
    third = CODEC.mint("district-officer-3", roles=[Role.DISTRICT_OFFICER], regions=[DISTRICT])
    upheld = await apps.applications.DecideAppeal(
        apb.DecideAppealRequest(id=made.id, upheld=True, reason="复核属实"), metadata=md(third)
    )
    assert upheld.state == apb.APPLICATION_STATE_APPROVED


async def test_a_dismissed_appeal_is_final(apps: Apps) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id)
    await review(apps, made.id)
    await reject(apps, made.id)
    appeal = apb.AppealApplicationRequest(id=made.id, reason="不服")
    await apps.applications.AppealApplication(appeal, metadata=md(TOWN_REVIEWER))
    dismissed = await apps.applications.DecideAppeal(
        apb.DecideAppealRequest(id=made.id, upheld=False, reason="维持原决定"),
        metadata=md(DISTRICT_OFFICER_2),
    )
    assert dismissed.state == apb.APPLICATION_STATE_REJECTED and not dismissed.grants
    again = await rpc_error(apps.applications.AppealApplication(appeal, metadata=md(TOWN_REVIEWER)))
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION and "once" in again.details()


async def test_wrong_steps_are_failed_precondition_and_write_nothing(apps: Apps) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id)
    before = await apps.app_counts()
    early = await rpc_error(approve(apps, made.id))
    assert early.code() == grpc.StatusCode.FAILED_PRECONDITION and "submitted" in early.details()
    assert (await rpc_error(reject(apps, made.id))).code() == grpc.StatusCode.FAILED_PRECONDITION
    assert await apps.app_counts() == before
    # A town officer may not decide; a district officer may not review.
    assert (await rpc_error(review(apps, made.id, token=DISTRICT_OFFICER))).code() == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    await review(apps, made.id)
    assert (await rpc_error(approve(apps, made.id, token=TOWN_REVIEWER))).code() == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    withdrawn = await apps.applications.WithdrawApplication(
        apb.WithdrawApplicationRequest(id=made.id, reason="家庭情况好转"), metadata=md(TOWN_REVIEWER)
    )
    assert withdrawn.state == apb.APPLICATION_STATE_WITHDRAWN
    before = await apps.app_counts()
    late = await rpc_error(approve(apps, made.id))
    assert late.code() == grpc.StatusCode.FAILED_PRECONDITION and "withdrawn" in late.details()
    assert await apps.app_counts() == before


async def test_a_programme_the_assessment_did_not_find_is_not_granted(apps: Apps) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id, "tekun")
    await review(apps, made.id)
    before = await apps.app_counts()
    refused = await rpc_error(approve(apps, made.id))
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION and "dibao, not tekun" in refused.details()
    assert await apps.app_counts() == before


async def test_approval_months_after_review_grants_on_a_fresh_assessment_and_notes_both(
    apps: Apps, watch: Watcher
) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id)
    await review(apps, made.id)  # September 2024: 2 × 1102.00 − 1000.00 = 1204.00
    apps.clock.now = datetime(2025, 1, 10, 2, 0, tzinfo=UTC)  # the standard rose to 1166.67 on 2025-01-01
    approved = await approve(apps, made.id)
    (grant,) = approved.grants
    # January 2025: window 2024-01..2024-12 holds 244 of the wages' 366 days (800,000 fen) over 12 months;
    # the gap 2 × 1166.67 − 666.6666… is rounded up to the fen.
    fresh = 166_668
    assert grant.monthly_amount_fen == fresh and grant.effective_from == "2025-01-10"
    assert (grant.assessment.month, grant.assessment.amount_fen) == ("2025-01", fresh)
    assert json.loads(grant.assessment.snapshot_json)["month"] == "2025-01"
    # The application keeps what the review found; the approval step quotes both.
    assert (approved.assessment.month, approved.assessment.amount_fen) == ("2024-09", 120_400)
    assert approved.steps[-1].note == (
        "[assessed at review: 2024-09 dibao 1204.00 yuan/month; "
        "at approval: 2025-01 dibao 1666.68 yuan/month]"
    )
    event = await watch.until(GRANTED, grant.id)
    assert event["data"]["monthly_amount_fen"] == fresh


async def test_approval_is_refused_when_the_household_no_longer_qualifies_and_writes_nothing(
    apps: Apps,
) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id)
    await review(apps, made.id)
    # Reported after the review: a pension of 3,000 yuan a month over the same year. Per person 2,000
    # yuan a month: above the 低保 standard, below twice it (低边).
    await income(
        apps, household.id, household.members[0].person_id, 12 * 300_000, kind=hpb.INCOME_KIND_PENSION
    )
    before = await apps.app_counts()
    refused = await rpc_error(approve(apps, made.id))
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "no longer qualifies for dibao" in refused.details()
    assert "at review as 2024-09 dibao 1204.00" in refused.details()
    assert "for approval as 2024-09 dibian" in refused.details()
    assert await apps.app_counts() == before
    # An appeal upheld after a rejection grants only on a fresh assessment as well.
    await reject(apps, made.id, reason="收入超标")
    await apps.applications.AppealApplication(
        apb.AppealApplicationRequest(id=made.id, reason="养老金为一次性"), metadata=md(TOWN_REVIEWER)
    )
    before = await apps.app_counts()
    upheld = await rpc_error(
        apps.applications.DecideAppeal(
            apb.DecideAppealRequest(id=made.id, upheld=True, reason="复核"), metadata=md(DISTRICT_OFFICER_2)
        )
    )
    assert upheld.code() == grpc.StatusCode.FAILED_PRECONDITION and "dibian" in upheld.details()
    assert await apps.app_counts() == before and await outbox(apps, GRANTED) == []


async def test_items_without_a_programme_are_approved_without_a_grant(apps: Apps) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id, "medical", "education")
    await review(apps, made.id)
    approved = await approve(apps, made.id)
    assert approved.state == apb.APPLICATION_STATE_APPROVED and not approved.grants
    assert await outbox(apps, GRANTED) == []


async def test_another_towns_officer_finds_nothing(apps: Apps) -> None:
    household = await dibao_household(apps)
    made = await submit(apps, household.id)
    get = apb.GetApplicationRequest(id=made.id)
    assert (
        await rpc_error(apps.applications.GetApplication(get, metadata=md(OTHER_TOWN_OFFICER)))
    ).code() == grpc.StatusCode.NOT_FOUND
    before = await apps.app_counts()
    assert (
        await rpc_error(review(apps, made.id, token=OTHER_TOWN_OFFICER))
    ).code() == grpc.StatusCode.NOT_FOUND
    assert await apps.app_counts() == before
    # The household is not theirs either.
    assert (await rpc_error(submit(apps, household.id, token=OTHER_TOWN_OFFICER))).code() == (
        grpc.StatusCode.NOT_FOUND
    )
    listed = await apps.applications.ListApplications(
        apb.ListApplicationsRequest(), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert not listed.applications and listed.page_info.total_count == 0


async def test_applications_list_newest_first_by_pages_filtered_by_state(apps: Apps) -> None:
    ids = []
    for i in range(3):
        household = await dibao_household(apps, first_sequence=201 + 2 * i)
        apps.clock.now += timedelta(minutes=1)
        ids.append((await submit(apps, household.id)).id)
    await review(apps, ids[0])
    first = await apps.applications.ListApplications(
        apb.ListApplicationsRequest(page={"page_size": 2}), metadata=md(ADMIN)
    )
    assert [a.id for a in first.applications] == [ids[2], ids[1]] and first.page_info.total_count == 3
    rest = await apps.applications.ListApplications(
        apb.ListApplicationsRequest(page={"page_size": 2, "page_token": first.page_info.next_page_token}),
        metadata=md(ADMIN),
    )
    assert [a.id for a in rest.applications] == [ids[0]] and not rest.page_info.next_page_token
    reviewed = await apps.applications.ListApplications(
        apb.ListApplicationsRequest(state=apb.APPLICATION_STATE_REVIEWED, region_code="330109001"),
        metadata=md(TOWN_REVIEWER),
    )
    assert [a.id for a in reviewed.applications] == [ids[0]]


async def test_suspending_and_terminating_a_grant_publish_their_events(apps: Apps, watch: Watcher) -> None:
    grant = (await granted(apps)).grants[0]
    refused = await rpc_error(
        apps.applications.SuspendGrant(apb.SuspendGrantRequest(id=grant.id), metadata=md(DISTRICT_OFFICER))
    )
    assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(refused) == {"reason"}
    suspended = await apps.applications.SuspendGrant(
        apb.SuspendGrantRequest(id=grant.id, reason="收入变化待核", effective_from="2024-10-01"),
        metadata=md(DISTRICT_OFFICER),
    )
    assert suspended.status == apb.GRANT_STATUS_SUSPENDED and suspended.suspended_from == "2024-10-01"
    event = await watch.until(SUSPENDED, grant.id)
    assert event["id"] == event_id(grant.id, "suspended")
    assert event["data"]["effective_from"] == "2024-10-01" and event["data"]["reason"] == "收入变化待核"
    terminated = await apps.applications.TerminateGrant(
        apb.TerminateGrantRequest(id=grant.id, reason="收入超过标准"), metadata=md(DISTRICT_OFFICER)
    )
    assert terminated.status == apb.GRANT_STATUS_TERMINATED and terminated.ended_on == "2024-09-15"
    assert (await watch.until(TERMINATED, grant.id))["data"]["programme"] == "dibao"
    before = await apps.app_counts()
    again = await rpc_error(
        apps.applications.TerminateGrant(
            apb.TerminateGrantRequest(id=grant.id, reason="again"), metadata=md(DISTRICT_OFFICER)
        )
    )
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION and await apps.app_counts() == before
    assert len(await outbox(apps, SUSPENDED)) == 1 and len(await outbox(apps, TERMINATED)) == 1


async def test_the_recheck_worklist_shows_a_grant_thirty_days_before_its_year_is_up(apps: Apps) -> None:
    grant = (await granted(apps)).grants[0]  # from 2024-09-15, re-check due 2025-09-15
    worklist = apb.ListRecheckWorklistRequest()

    async def listed(token: str = TOWN_REVIEWER) -> list[str]:
        reply = await apps.applications.ListRecheckWorklist(worklist, metadata=md(token))
        return [g.id for g in reply.grants]

    assert await listed() == []
    apps.clock.now += timedelta(days=334)  # 2025-08-15: 31 days before
    assert await listed() == []
    apps.clock.now += timedelta(days=1)  # 2025-08-16: 30 days before
    assert await listed() == [grant.id]
    assert await listed(OTHER_TOWN_OFFICER) == []
    apps.clock.now += timedelta(days=60)  # overdue: still there
    assert await listed(DISTRICT_OFFICER) == [grant.id]
    await apps.applications.TerminateGrant(
        apb.TerminateGrantRequest(id=grant.id, reason="核查后不再符合"), metadata=md(DISTRICT_OFFICER)
    )
    assert await listed() == []


async def test_a_household_holding_dibao_cannot_be_granted_it_twice(apps: Apps) -> None:
    approved = await granted(apps)
    again = await submit(apps, approved.household_id)
    await review(apps, again.id)
    refused = await rpc_error(approve(apps, again.id))
    assert (
        refused.code() == grpc.StatusCode.FAILED_PRECONDITION and "already holds dibao" in refused.details()
    )


async def test_a_batch_brings_many_applications_with_steps_and_grants_leaving_out_other_regions(
    apps: Apps,
) -> None:
    approved = await granted(apps)
    pending = await submit(apps, (await dibao_household(apps, first_sequence=301)).id)
    elsewhere_household = await dibao_household(apps, first_sequence=401, region=OTHER_VILLAGE)
    elsewhere = await submit(apps, elsewhere_household.id, token=ADMIN)
    ids = [pending.id, elsewhere.id, approved.id, pending.id, "no-such-application"]

    reply = await apps.applications.BatchGetApplications(
        apb.BatchGetApplicationsRequest(ids=ids), metadata=md(TOWN_REVIEWER)
    )
    # In the order asked, each once, whole as GetApplication shows it; other regions' and unknown left out.
    assert [a.id for a in reply.applications] == [pending.id, approved.id]
    for shown in reply.applications:
        single = await apps.applications.GetApplication(
            apb.GetApplicationRequest(id=shown.id), metadata=md(TOWN_REVIEWER)
        )
        assert shown == single
    assert [s.action for s in reply.applications[1].steps] == ["submit", "review", "approve"]
    assert [g.id for g in reply.applications[1].grants] == [g.id for g in approved.grants]
    theirs = await apps.applications.BatchGetApplications(
        apb.BatchGetApplicationsRequest(ids=ids), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert [a.id for a in theirs.applications] == [elsewhere.id]


async def test_a_batch_of_no_ids_an_empty_id_or_over_a_hundred_is_refused(apps: Apps) -> None:
    for ids in ([], ["x", " "], [f"a-{n}" for n in range(101)]):
        error = await rpc_error(
            apps.applications.BatchGetApplications(
                apb.BatchGetApplicationsRequest(ids=ids), metadata=md(ADMIN)
            )
        )
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert violated_fields(error) == {"ids"}
