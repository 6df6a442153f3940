"""E-vouchers (重阳分) over gRPC on both backends: credited by the run, spent on bed fees, never negative."""

from __future__ import annotations

import asyncio
from datetime import date

import grpc
import pytest
from minzheng.eldercare.v1 import allowances_pb2 as pb
from minzheng.eldercare.v1 import eldercare_pb2 as bed_pb

from services.eldercare import allowances
from services.eldercare.models import Elder, ElderReliefPeriod
from services.kit.periods import Month
from tests.contract.eldercare.allowance_support import Allowances, allow_fixture, at  # noqa: F401
from tests.contract.eldercare.conftest import (
    ADMIN,
    OTHER_TOWN_OFFICER,
    TOWN,
    TOWN_OFFICER,
    VIEWER,
    md,
    rpc_error,
    violated_fields,
)

VOUCHER = pb.ALLOWANCE_PROGRAMME_VOUCHER
CREDIT, SPEND = pb.VOUCHER_ENTRY_KIND_CREDIT, pb.VOUCHER_ENTRY_KIND_SPEND


async def relief(
    allow: Allowances, elder: Elder, programme: str, since: date, until: date | None = None
) -> None:
    """A relief period as the relief events leave it (the handlers are tested in test_eldercare_inbound)."""
    async with allow.db.unit_of_work() as session:
        session.add(
            ElderReliefPeriod(
                elder_id=elder.id,
                programme=programme,
                effective_from=since,
                effective_to=until,
                household_id="hh-1",
                source_event_id="test",
            )
        )


async def taihe_bed(allow: Allowances, elder: Elder) -> str:
    """The elder in a nursing bed of 泰和园; returns the institution id."""
    home = await allow.beds.RegisterInstitution(
        bed_pb.RegisterInstitutionRequest(
            name="颐乐养老泰和园", kind=bed_pb.INSTITUTION_KIND_PRIVATE, region_code=TOWN, star_rating=4
        ),
        metadata=md(ADMIN),
    )
    beds = await allow.beds.AddBeds(
        bed_pb.AddBedsRequest(institution_id=home.id, type=bed_pb.BED_TYPE_NURSING, count=1),
        metadata=md(ADMIN),
    )
    await allow.beds.AssignBed(
        bed_pb.AssignBedRequest(
            bed_id=beds.beds[0].id, elder_id_number=elder.id_number, elder_name=elder.name
        ),
        metadata=md(ADMIN),
    )
    return home.id


async def balance(allow: Allowances, elder: Elder, token: str = ADMIN) -> int:
    reply = await allow.stub.GetVoucherBalance(
        pb.GetVoucherBalanceRequest(elder_id=elder.id), metadata=md(token)
    )
    return reply.balance_fen


async def spend(
    allow: Allowances, elder: Elder, home: str, fen: int, ref: str, token: str = ADMIN
) -> pb.VoucherEntry:
    return await allow.stub.SpendVoucher(
        pb.SpendVoucherRequest(elder_id=elder.id, institution_id=home, amount_fen=fen, reference=ref),
        metadata=md(token),
    )


async def test_the_run_credits_each_eligible_elder_the_highest_group_once_a_month(allow: Allowances) -> None:
    impaired = await allow.elder(date(1950, 4, 4), level="moderate")
    await relief(allow, impaired, "dibao", date(2025, 5, 1))
    dibian = await allow.elder(date(1955, 4, 4), level="intact")
    await relief(allow, dibian, "dibian", date(2024, 1, 1))
    granted_mid_june = await allow.elder(date(1955, 5, 5))
    await relief(allow, granted_mid_june, "tekun", date(2025, 6, 10))
    ended = await allow.elder(date(1955, 6, 6))
    await relief(allow, ended, "dibao", date(2024, 1, 1), until=date(2025, 6, 1))
    very_old = await allow.elder(date(1928, 1, 1), level="severe")  # a group without a standard

    run = await allow.run()
    assert {(t.programme, t.policy_key, t.elders) for t in run.paid_by_tier if t.programme == VOUCHER} == {
        (VOUCHER, "relief_impaired", 1),
        (VOUCHER, "relief", 1),
    }
    assert (VOUCHER, "very_old_impaired", 1) in {
        (s.programme, s.policy_key, s.elders) for s in run.skipped_by_tier
    }
    assert await allow.paid(impaired, VOUCHER) == [("2025-06", "relief_impaired", 30000)]
    assert await allow.paid(dibian, VOUCHER) == [("2025-06", "relief", 10000)]
    assert await allow.paid(granted_mid_june, VOUCHER) == []  # held on the 1st counts: from July
    assert await allow.paid(ended, VOUCHER) == []
    assert await allow.paid(very_old, VOUCHER) == []
    assert await balance(allow, impaired) == 30000 and await balance(allow, very_old) == 0

    await allow.run()  # a re-run credits nobody twice
    allow.clock.now = at(date(2025, 7, 3))
    await allow.run()
    assert await allow.paid(granted_mid_june, VOUCHER) == [("2025-07", "relief", 10000)]
    ledger = await allow.stub.ListVoucherLedger(
        pb.ListVoucherLedgerRequest(elder_id=impaired.id), metadata=md(TOWN_OFFICER)
    )
    assert [(e.kind, e.amount_fen, e.balance_after_fen, e.period) for e in ledger.entries] == [
        (CREDIT, 30000, 60000, "2025-07"),
        (CREDIT, 30000, 30000, "2025-06"),
    ]
    assert ledger.balance.balance_fen == 60000 and ledger.balance.balance_yuan == "600.00"


async def test_a_spend_offsets_bed_fees_and_one_beyond_the_balance_writes_nothing(allow: Allowances) -> None:
    elder = await allow.elder(date(1950, 4, 4), level="severe")
    await relief(allow, elder, "dibao", date(2025, 1, 1))
    await allow.run()
    home = await taihe_bed(allow, elder)

    entry = await spend(allow, elder, home, 12000, "TH-2025-06-001", token=TOWN_OFFICER)
    assert (entry.kind, entry.amount_fen, entry.balance_after_fen, entry.institution_id) == (
        SPEND,
        12000,
        18000,
        home,
    )
    assert entry.created_by == "chengxiang-officer" and entry.amount_yuan == "120.00"

    before = {t: await allow.count(t) for t in ("voucher_entry", "audit_log", "voucher_account")}
    too_much = await rpc_error(spend(allow, elder, home, 18001, "TH-2025-06-002"))
    assert too_much.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "180.00" in (too_much.details() or "")  # names the balance
    again = await rpc_error(spend(allow, elder, home, 100, "TH-2025-06-001"))
    assert again.code() == grpc.StatusCode.ALREADY_EXISTS
    bad = await rpc_error(spend(allow, elder, home, 0, " "))
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(bad) == {
        "amount_fen",
        "reference",
    }
    viewer = await rpc_error(spend(allow, elder, home, 100, "TH-x", token=VIEWER))
    assert viewer.code() == grpc.StatusCode.PERMISSION_DENIED
    elsewhere = await rpc_error(spend(allow, elder, home, 100, "TH-y", token=OTHER_TOWN_OFFICER))
    assert elsewhere.code() == grpc.StatusCode.NOT_FOUND
    assert {t: await allow.count(t) for t in before} == before
    assert await balance(allow, elder) == 18000

    exact = await spend(allow, elder, home, 18000, "TH-2025-06-003")
    assert exact.balance_after_fen == 0 and await balance(allow, elder) == 0
    assert await allow.count("audit_log WHERE action = 'voucher.spend'") == 2


async def test_fees_of_an_institution_where_the_elder_holds_no_bed_are_refused(allow: Allowances) -> None:
    resident = await allow.elder(date(1950, 4, 4), level="severe")
    outsider = await allow.elder(date(1951, 4, 4), level="severe")
    for elder in (resident, outsider):
        await relief(allow, elder, "dibao", date(2025, 1, 1))
    await allow.run()
    home = await taihe_bed(allow, resident)
    refused = await rpc_error(spend(allow, outsider, home, 100, "TH-1"))
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION and "no bed" in (refused.details() or "")
    assert await balance(allow, outsider) == 30000


async def test_concurrent_spends_never_overdraw_the_balance(allow: Allowances) -> None:
    elder = await allow.elder(date(1950, 4, 4), level="severe")
    await relief(allow, elder, "dibao", date(2025, 1, 1))
    await allow.run()
    home = await taihe_bed(allow, elder)

    results = await asyncio.gather(
        *(spend(allow, elder, home, 8000, f"TH-C-{i}") for i in range(6)), return_exceptions=True
    )
    won = [r for r in results if isinstance(r, pb.VoucherEntry)]
    lost = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(won) == 3 and len(lost) == 3
    assert {e.code() for e in lost} == {grpc.StatusCode.FAILED_PRECONDITION}
    assert sorted(e.balance_after_fen for e in won) == [6000, 14000, 22000]
    assert await balance(allow, elder) == 6000
    assert await allow.count("voucher_entry WHERE kind = 'spend'") == 3


async def test_a_run_that_crashed_mid_credit_credits_every_holder_once_on_the_next_run(
    allow: Allowances,
) -> None:
    holders = [await allow.elder(date(1950, 1, d)) for d in range(1, 6)]
    for elder in holders:
        await relief(allow, elder, "dibian", date(2025, 1, 1))

    def crash(chunks: int) -> None:
        raise RuntimeError("the process died after a chunk")

    with pytest.raises(RuntimeError):
        await allowances.run_allowances(
            allow.db, allow.policy, Month(2025, 6), allow.clock.now, chunk_size=2, after_chunk=crash
        )
    assert await allow.count("voucher_entry") == 2 and await allow.count("voucher_account") == 2
    run = await allow.run()
    assert run.paid_count == 3 and run.reported_count == 5
    assert [await balance(allow, e) for e in holders] == [10000] * 5
    assert await allow.count("voucher_entry WHERE kind = 'credit'") == 5

    first = await allow.stub.ListVoucherLedger(
        pb.ListVoucherLedgerRequest(elder_id=holders[0].id, page={"page_size": 1}),  # type: ignore[arg-type]
        metadata=md(ADMIN),
    )
    assert (
        len(first.entries) == 1 and first.page_info.total_count == 1 and first.page_info.next_page_token == ""
    )
