"""Overpayments after a death (issue 6 item 6): months paid that began after the date of death are listed,
once, for an officer to record as recovered or waived; a later run paying on a grant that still counts
the deceased lists its payment too; a grant the death ended pays nothing after it. Both databases."""

from __future__ import annotations

from datetime import date
from typing import Any

import grpc
import sqlalchemy as sa
from minzheng.relief.v1 import payments_pb2 as ppb
from sqlalchemy.ext.asyncio import create_async_engine

from services.kit.db import migrate
from services.relief import inbound
from services.relief.spec import SPEC
from tests.contract.relief.application_support import (
    OTHER_TOWN_OFFICER,
    TOWN_REVIEWER,
    approve,
    dibao_household,
    review,
    submit,
)
from tests.contract.relief.conftest import ADMIN, VIEWER, VILLAGE, id_number, md, rpc_error, violated_fields
from tests.contract.relief.discovery_support import Discovery, disc_fixture  # noqa: F401
from tests.contract.relief.payment_support import (
    Assessed,
    at,
    classified,
    ledger,
    lone_dibao,
    paid,
    run,
    stub,
)


def death(svc: Discovery, number: str, died: str, death_id: str = "death-1") -> dict[str, Any]:
    """A death-registered payload as funeral will publish it."""
    return {
        "death_id": death_id,
        "region_code": VILLAGE,
        "deceased": {"person_ref": "f-1", "id_digest": svc.digest(number)},
        "date_of_death": died,
    }


async def listed(svc: Discovery, *, token: str = ADMIN, **filters: Any) -> list[ppb.Overpayment]:
    """ListOverpayments, first page."""
    reply = await stub(svc).ListOverpayments(ppb.ListOverpaymentsRequest(**filters), metadata=md(token))
    return list(reply.overpayments)


async def test_a_death_registered_after_runs_lists_the_months_that_began_after_it(disc: Discovery) -> None:
    household = await dibao_household(disc)  # head 101 and a child
    made = await submit(disc, household.id, "dibao")
    await review(disc, made.id)
    (grant,) = (await approve(disc, made.id)).grants
    fen = grant.monthly_amount_fen
    for day in (date(2024, 9, 15), date(2024, 10, 15)):
        disc.clock.now = at(day)
        await run(disc)
    head = household.members[0].person_id

    # The head died on 20 September; funeral tells relief in October (twice: a redelivery, a re-send).
    await disc.publish(inbound.FUNERAL_DEATH_REGISTERED, death(disc, id_number(101), "2024-09-20"))
    await disc.publish(inbound.FUNERAL_DEATH_REGISTERED, death(disc, id_number(101), "2024-09-20", "d-2"))
    (october,) = await listed(disc)
    assert (october.period, october.amount_fen, october.person_id, october.died_on) == (
        "2024-10",
        fen,
        head,
        "2024-09-20",
    )
    assert october.status == ppb.OVERPAYMENT_STATUS_OPEN and october.household_id == household.id

    # November, paid on the grant's amount (no re-classification yet): it still counts the deceased.
    disc.clock.now = at(date(2024, 11, 15))
    await run(disc)
    assert [o.period for o in await listed(disc)] == ["2024-10", "2024-11"]
    # December's re-classification reads the members left and confirms 低保: paid on it, not listed.
    disc.clock.now = at(date(2024, 12, 15))
    await classified(disc, "2024-12", Assessed(household.id, VILLAGE, "dibao", fen + 10_000))
    await run(disc)
    assert (await paid(disc, household.id))[-1] == ("2024-12", "dibao", fen + 10_000, "assessment")
    assert len(await listed(disc)) == 2

    book = await ledger(disc, household.id)
    assert [p.period for p in book.payments] == ["2024-12", "2024-11", "2024-10", "2024-09"]
    assert [o.period for o in book.overpayments] == ["2024-10", "2024-11"]
    assert book.overpaid_open_fen == 2 * fen and book.recovered_fen == 0 and book.waived_fen == 0


async def test_a_payment_after_the_death_on_a_classification_made_before_it_is_listed(
    disc: Discovery,
) -> None:
    household = await dibao_household(disc)  # head 101 and a child
    made = await submit(disc, household.id, "dibao")
    await review(disc, made.id)
    (grant,) = (await approve(disc, made.id)).grants
    fen = grant.monthly_amount_fen
    disc.clock.now = at(date(2024, 9, 15))
    await run(disc)
    head = household.members[0].person_id

    # October's re-classification on the 1st still counts both members; the head's death (20 September)
    # is registered on the 2nd, before October is paid — nothing paid after it yet, nothing listed.
    disc.clock.now = at(date(2024, 10, 1))
    await classified(disc, "2024-10", Assessed(household.id, VILLAGE, "dibao", fen + 5_000))
    disc.clock.now = at(date(2024, 10, 2))
    await disc.publish(inbound.FUNERAL_DEATH_REGISTERED, death(disc, id_number(101), "2024-09-20"))
    assert await listed(disc) == []

    # October is paid on that re-classification, which still counts the deceased: listed.
    disc.clock.now = at(date(2024, 10, 15))
    await run(disc)
    assert (await paid(disc, household.id))[-1] == ("2024-10", "dibao", fen + 5_000, "assessment")
    (october,) = await listed(disc)
    assert (october.period, october.amount_fen, october.person_id, october.died_on) == (
        "2024-10",
        fen + 5_000,
        head,
        "2024-09-20",
    )
    await run(disc)  # a re-run pays and lists nothing twice
    assert len(await listed(disc)) == 1

    # November's re-classification, made after the death was recorded, counts the child alone: not listed.
    disc.clock.now = at(date(2024, 11, 1))
    await classified(disc, "2024-11", Assessed(household.id, VILLAGE, "dibao", fen))
    disc.clock.now = at(date(2024, 11, 15))
    await run(disc)
    assert (await paid(disc, household.id))[-1] == ("2024-11", "dibao", fen, "assessment")
    assert [o.period for o in await listed(disc)] == ["2024-10"]


async def test_officers_record_overpayments_as_recovered_or_waived_in_their_regions(disc: Discovery) -> None:
    household = await dibao_household(disc)
    made = await submit(disc, household.id, "dibao")
    await review(disc, made.id)
    (grant,) = (await approve(disc, made.id)).grants
    for day in (date(2024, 9, 15), date(2024, 10, 15), date(2024, 11, 15)):
        disc.clock.now = at(day)
        await run(disc)
    await disc.publish(inbound.FUNERAL_DEATH_REGISTERED, death(disc, id_number(101), "2024-09-20"))
    october, november = await listed(disc, token=TOWN_REVIEWER)
    assert await listed(disc, token=OTHER_TOWN_OFFICER) == []

    handle = stub(disc).HandleOverpayment
    recover = ppb.HandleOverpaymentRequest(id=october.id, outcome=ppb.OVERPAYMENT_STATUS_RECOVERED)
    error = await rpc_error(handle(recover, metadata=md(OTHER_TOWN_OFFICER)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    error = await rpc_error(handle(recover, metadata=md(VIEWER)))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    waive = ppb.HandleOverpaymentRequest(id=november.id, outcome=ppb.OVERPAYMENT_STATUS_WAIVED)
    error = await rpc_error(handle(waive, metadata=md(TOWN_REVIEWER)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {"note"}
    error = await rpc_error(handle(ppb.HandleOverpaymentRequest(id=october.id), metadata=md(TOWN_REVIEWER)))
    assert violated_fields(error) == {"outcome"}

    done = await handle(recover, metadata=md(TOWN_REVIEWER))
    assert done.status == ppb.OVERPAYMENT_STATUS_RECOVERED and done.handled_by == "chengxiang-officer"
    error = await rpc_error(handle(recover, metadata=md(TOWN_REVIEWER)))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    waive.note = "家庭困难，经集体研究予以免追"
    waived = await handle(waive, metadata=md(TOWN_REVIEWER))
    assert waived.status == ppb.OVERPAYMENT_STATUS_WAIVED and waived.handled_note == waive.note

    assert await listed(disc, status=ppb.OVERPAYMENT_STATUS_OPEN) == []
    book = await ledger(disc, household.id, token=TOWN_REVIEWER)
    fen = grant.monthly_amount_fen
    assert (book.overpaid_open_fen, book.recovered_fen, book.waived_fen) == (0, fen, fen)
    audit = await disc.rows(
        "SELECT action FROM audit_log WHERE action LIKE 'relief.overpayment-%' ORDER BY id"
    )
    assert [a for (a,) in audit] == ["relief.overpayment-recovered", "relief.overpayment-waived"]


async def test_a_grant_the_death_ended_pays_nothing_after_it_and_lists_nothing(disc: Discovery) -> None:
    household, _ = await lone_dibao(disc, 501, reviewer=TOWN_REVIEWER)
    await run(disc, "2024-09")
    await disc.publish(inbound.FUNERAL_DEATH_REGISTERED, death(disc, id_number(501), "2024-09-20"))
    disc.clock.now = at(date(2024, 10, 15))
    assert (await run(disc, "2024-10")).paid_count == 0
    assert [p[0] for p in await paid(disc, household.id)] == ["2024-09"]  # September began before the death
    assert await listed(disc) == []


async def test_migration_0008_drops_the_payment_keys_and_keeps_payments_and_overpayments(
    disc: Discovery,
) -> None:
    """relief_payment loses its foreign keys (0008): on SQLite the table is rebuilt while overpayments
    reference it; every payment and overpayment survives going back to 0007 and forward again."""
    household = await dibao_household(disc)
    made = await submit(disc, household.id, "dibao")
    await review(disc, made.id)
    await approve(disc, made.id)
    for day in (date(2024, 9, 15), date(2024, 10, 15)):
        disc.clock.now = at(day)
        await run(disc)
    await disc.publish(inbound.FUNERAL_DEATH_REGISTERED, death(disc, id_number(101), "2024-09-20"))
    payments_sql = "SELECT id, household_id, grant_id, period, amount_fen FROM relief_payment ORDER BY id"
    overpayments_sql = "SELECT id, payment_id, person_id FROM relief_overpayment ORDER BY id"
    before = (await disc.rows(payments_sql), await disc.rows(overpayments_sql))
    assert len(before[0]) == 2 and len(before[1]) == 1

    engine = create_async_engine(disc.database_url)

    async def payment_keys() -> list[str]:
        async with engine.connect() as conn:
            keys = await conn.run_sync(lambda c: sa.inspect(c).get_foreign_keys("relief_payment"))
        return sorted(k["referred_table"] for k in keys)

    try:
        assert await payment_keys() == []
        await migrate(engine, SPEC.migrations, revision="0007", downgrade=True)
        assert await payment_keys() == ["assistance_grant", "household", "relief_assessment"]
        assert (await disc.rows(payments_sql), await disc.rows(overpayments_sql)) == before
        await migrate(engine, SPEC.migrations)
        assert await payment_keys() == []
    finally:
        await engine.dispose()
    assert (await disc.rows(payments_sql), await disc.rows(overpayments_sql)) == before
