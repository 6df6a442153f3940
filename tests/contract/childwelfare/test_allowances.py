"""The monthly basic living allowance run: each eligible child paid once per month, whatever happens.

Children are registered through the real service over gRPC; the run is called against the service's
own database (``run_allowances``), as its scheduler or an operator would. On SQLite and PostgreSQL.
Rule under test: everything is decided on the month's first day (category held, age under 18, the
standard in force); the month of the 18th birthday is paid unless the birthday is the 1st.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb

from services.childwelfare.allowances import PROGRAMME, load_allowance_policy, run_allowances
from services.childwelfare.events import ALLOWANCE_PAID
from services.kit.money import Money
from services.kit.payments import GroupTotal, PaymentRunSummary, run_id
from services.kit.periods import Month
from services.kit.policy import PolicyTable
from tests.contract.childwelfare.conftest import ADMIN, ChildWelfare, child_number, md, register

JULY, AUGUST = Month(2025, 7), Month(2025, 8)
SINCE = "2025-05-02"
ORPHAN_INSTITUTION = pb.PROTECTION_CATEGORY_ORPHAN_INSTITUTION
ORPHAN_SCATTERED = pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED
DE_FACTO = pb.PROTECTION_CATEGORY_DE_FACTO_UNATTENDED
LEFT_BEHIND = pb.PROTECTION_CATEGORY_LEFT_BEHIND
DIBAO = pb.PROTECTION_CATEGORY_DIBAO_FAMILY


def _at(day: date) -> datetime:
    """10:00 in Shanghai on ``day``."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


class Crash(RuntimeError):
    """The simulated crash."""


async def _run(
    cw: ChildWelfare, month: Month, *, policy: PolicyTable[Money] | None = None, **kwargs: object
) -> PaymentRunSummary:
    assert cw.process.ctx is not None
    now = _at(month.first.replace(day=20))
    return await run_allowances(
        cw.process.ctx.db,
        policy or load_allowance_policy(),
        month,
        now,
        **kwargs,  # type: ignore[arg-type]
    )


async def _payments(cw: ChildWelfare, period: str) -> dict[str, tuple[str, int, str, date]]:
    """The month's payments by child id: (category, amount fen, policy key, policy effective_from)."""
    assert cw.process.ctx is not None
    async with cw.process.ctx.db.read() as session:
        rows = (
            await session.exec(  # type: ignore[call-overload]
                sa.text(
                    "SELECT child_id, category, amount_fen, policy_key, policy_effective_from "
                    "FROM allowance_payment WHERE period = :period AND programme = :programme"
                ).bindparams(period=period, programme=PROGRAMME)
            )
        ).all()
    found: dict[str, tuple[str, int, str, date]] = {}
    for child_id, category, fen, key, effective_from in rows:
        assert child_id not in found, f"{child_id} paid twice for {period}"
        if isinstance(effective_from, str):  # SQLite hands text back through a raw query
            effective_from = date.fromisoformat(effective_from)
        found[child_id] = (category, int(fen), key, effective_from)
    return found


async def _summaries(cw: ChildWelfare) -> list[dict[str, object]]:
    """Every allowance-paid event staged (the outbox), oldest first, with its id."""
    assert cw.process.ctx is not None
    async with cw.process.ctx.db.read() as session:
        rows = (
            await session.exec(  # type: ignore[call-overload]
                sa.text("SELECT id, data FROM outbox WHERE type = :type ORDER BY created_at, id").bindparams(
                    type=ALLOWANCE_PAID.type
                )
            )
        ).all()
    return [{"id": event_id, **json.loads(data)} for event_id, data in rows]


OLD = date(2020, 1, 1)


async def test_a_first_run_pays_the_right_children_and_a_rerun_pays_and_publishes_nothing(
    cw: ChildWelfare,
) -> None:
    cw.clock.now = _at(date(2025, 7, 10))
    institution = await register(cw, child_number(1), category=ORPHAN_INSTITUTION, since=SINCE)
    scattered = await register(cw, child_number(2), category=ORPHAN_SCATTERED, since=SINCE)
    de_facto = await register(cw, child_number(3), category=DE_FACTO, since=SINCE)
    left = await register(cw, child_number(4), category=LEFT_BEHIND, since=SINCE)
    dibao = await register(cw, child_number(5), category=DIBAO, since=SINCE)
    late = await register(cw, child_number(6), category=ORPHAN_SCATTERED, since="2025-07-02")

    summary = await _run(cw, JULY)
    assert summary.paid == {
        "orphan_institution": GroupTotal(1, 257100),
        "orphan_scattered": GroupTotal(1, 205700),
        "de_facto_unattended": GroupTotal(1, 205700),
    }
    assert summary.persons_paid == 3 and summary.total_fen == 668500
    assert summary.skipped == {"left_behind": 1, "dibao_family": 1}  # no standard: counted, not paid ¥0
    assert summary.run_id == run_id(PROGRAMME, "2025-07", 1) == summary.event_id
    assert await _payments(cw, "2025-07") == {
        institution.id: ("orphan_institution", 257100, "orphan_institution", OLD),
        scattered.id: ("orphan_scattered", 205700, "orphan_scattered", OLD),
        de_facto.id: ("de_facto_unattended", 205700, "de_facto_unattended", OLD),
    }
    assert left.id and dibao.id and late.id  # not paid: no standard, no standard, category from the 2nd

    [event] = await _summaries(cw)
    assert event["id"] == summary.run_id
    assert event | {"at": None} == {
        "id": summary.run_id,
        "run_id": summary.run_id,
        "programme": "living_allowance",
        "period": "2025-07",
        "at": None,
        "children_paid": 3,
        "amount_fen": 668500,
        "by_category": [
            {
                "category": "de_facto_unattended",
                "children": 1,
                "amount_fen": 205700,
                "standard_fen": 205700,
                "standard_effective_from": "2020-01-01",
            },
            {
                "category": "orphan_institution",
                "children": 1,
                "amount_fen": 257100,
                "standard_fen": 257100,
                "standard_effective_from": "2020-01-01",
            },
            {
                "category": "orphan_scattered",
                "children": 1,
                "amount_fen": 205700,
                "standard_fen": 205700,
                "standard_effective_from": "2020-01-01",
            },
        ],
        "skipped": [{"category": "dibao_family", "children": 1}, {"category": "left_behind", "children": 1}],
        "month_children_paid": 3,
        "month_amount_fen": 668500,
    }
    assert "3301" not in json.dumps(event)  # no ID numbers (nor region codes) in the summary

    again = await _run(cw, JULY)
    assert (
        again.persons_paid == 0 and again.event_id is None and again.run_id == run_id(PROGRAMME, "2025-07", 2)
    )
    assert len(await _payments(cw, "2025-07")) == 3
    assert len(await _summaries(cw)) == 1
    assert await cw.count("allowance_run") == 2

    # August: the late child is now paid too.
    august = await _run(cw, AUGUST)
    assert august.persons_paid == 4 and late.id in await _payments(cw, "2025-08")
    assert len(await _summaries(cw)) == 2


async def test_a_crash_mid_run_then_a_rerun_pays_each_child_exactly_once(cw: ChildWelfare) -> None:
    cw.clock.now = _at(date(2025, 7, 10))
    kids = [
        await register(cw, child_number(10 + i), category=ORPHAN_SCATTERED, since=SINCE) for i in range(5)
    ]

    def crash(chunk: int) -> None:
        raise Crash(f"killed after chunk {chunk}")

    with pytest.raises(Crash):
        await _run(cw, JULY, chunk_size=2, after_chunk=crash)
    assert len(await _payments(cw, "2025-07")) == 2  # the first chunk committed
    assert await _summaries(cw) == []  # the crashed run completed nothing, so published nothing

    resumed = await _run(cw, JULY, chunk_size=2)
    assert resumed.persons_paid == 3 and resumed.chunks == 2
    paid = await _payments(cw, "2025-07")
    assert set(paid) == {k.id for k in kids}
    assert all(amount == 205700 for _, amount, _, _ in paid.values())
    [event] = await _summaries(cw)
    # The completing run reports the crashed run's payments too: every payment in exactly one summary.
    assert event["children_paid"] == 5 and event["amount_fen"] == 5 * 205700
    assert event["month_children_paid"] == 5 and event["id"] == run_id(PROGRAMME, "2025-07", 2)

    assert (await _run(cw, JULY)).persons_paid == 0
    assert len(await _payments(cw, "2025-07")) == 5 and len(await _summaries(cw)) == 1


async def test_the_month_of_the_18th_birthday_is_paid_unless_it_falls_on_the_first(cw: ChildWelfare) -> None:
    # Registered on 15 June 2025, while all three are minors.
    on_the_first = await register(
        cw, child_number(21, born=date(2007, 7, 1)), category=ORPHAN_SCATTERED, since=SINCE
    )
    on_the_second = await register(
        cw, child_number(22, born=date(2007, 7, 2)), category=ORPHAN_SCATTERED, since=SINCE
    )
    in_august = await register(
        cw, child_number(23, born=date(2007, 8, 15)), category=ORPHAN_SCATTERED, since=SINCE
    )
    assert set(await _payments(cw, "2025-07")) == set()
    await _run(cw, JULY)
    assert set(await _payments(cw, "2025-07")) == {on_the_second.id, in_august.id}
    await _run(cw, AUGUST)
    assert set(await _payments(cw, "2025-08")) == {in_august.id}
    await _run(cw, Month(2025, 9))
    assert set(await _payments(cw, "2025-09")) == set()
    assert on_the_first.id


async def test_a_category_ending_mid_month_is_paid_for_that_month_and_not_after(cw: ChildWelfare) -> None:
    leaves = await register(cw, child_number(31), category=ORPHAN_SCATTERED, since=SINCE)
    joins = await register(cw, child_number(32), category=LEFT_BEHIND, since=SINCE)
    cw.clock.now = _at(date(2025, 7, 15))
    for child, category in ((leaves, LEFT_BEHIND), (joins, DE_FACTO)):
        await cw.stub.ChangeCategory(
            pb.ChangeCategoryRequest(
                child_id=child.id, category=category, effective_from="2025-07-15", reason="reassessed"
            ),
            metadata=md(ADMIN),
        )

    july = await _run(cw, JULY)
    assert await _payments(cw, "2025-07") == {
        leaves.id: ("orphan_scattered", 205700, "orphan_scattered", OLD)
    }
    assert july.skipped == {"left_behind": 1}

    august = await _run(cw, AUGUST)
    assert await _payments(cw, "2025-08") == {
        joins.id: ("de_facto_unattended", 205700, "de_facto_unattended", OLD)
    }
    assert august.skipped == {"left_behind": 1}
    # July's payment keeps its category after the change.
    assert (await _payments(cw, "2025-07"))[leaves.id][0] == "orphan_scattered"


async def test_a_changed_standard_applies_from_the_month_it_is_in_force_on_the_first(
    cw: ChildWelfare,
) -> None:
    scattered = await register(cw, child_number(41), category=ORPHAN_SCATTERED, since=SINCE)
    institution = await register(cw, child_number(42), category=ORPHAN_INSTITUTION, since=SINCE)
    policy = (
        load_allowance_policy()
        .supersede("orphan_scattered", date(2025, 8, 1), Money.from_yuan("2100.00"), source="test")
        .supersede("orphan_institution", date(2025, 8, 15), Money.from_yuan("2600.00"), source="test")
    )

    await _run(cw, JULY, policy=policy)
    await _run(cw, AUGUST, policy=policy)
    await _run(cw, Month(2025, 9), policy=policy)
    assert await _payments(cw, "2025-07") == {
        scattered.id: ("orphan_scattered", 205700, "orphan_scattered", OLD),
        institution.id: ("orphan_institution", 257100, "orphan_institution", OLD),
    }
    assert await _payments(cw, "2025-08") == {
        scattered.id: ("orphan_scattered", 210000, "orphan_scattered", date(2025, 8, 1)),
        institution.id: ("orphan_institution", 257100, "orphan_institution", OLD),  # changed on the 15th
    }
    assert await _payments(cw, "2025-09") == {
        scattered.id: ("orphan_scattered", 210000, "orphan_scattered", date(2025, 8, 1)),
        institution.id: ("orphan_institution", 260000, "orphan_institution", date(2025, 8, 15)),
    }
    august = [e for e in await _summaries(cw) if e["period"] == "2025-08"]
    assert [
        (c["category"], c["standard_fen"], c["standard_effective_from"]) for c in august[0]["by_category"]
    ] == [  # type: ignore[index, union-attr]
        ("orphan_institution", 257100, "2020-01-01"),
        ("orphan_scattered", 210000, "2025-08-01"),
    ]
    # Re-running July under the new table changes nothing already paid.
    assert (await _run(cw, JULY, policy=policy)).persons_paid == 0
    assert (await _payments(cw, "2025-07"))[scattered.id][1] == 205700
