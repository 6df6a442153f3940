"""The demo's paid month over the real service: the approved households paid once, then nothing added."""

from __future__ import annotations

import pytest

from services.kit.auth import Role
from services.relief.demo import load_demo
from services.relief.demo_applications import load_demo_applications
from services.relief.demo_payments import load_demo_payments
from tests.contract.relief.conftest import ADMIN, CODEC, DISTRICT, TODAY, VIEWER, Relief

# The demo goes through the public API only; one backend shows that as well as two.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

TOWN = CODEC.mint("demo-town-officer", roles=[Role.TOWN_OFFICER], regions=[DISTRICT])
TABLES = ("relief_classification_run", "relief_payment_run", "relief_payment", "outbox", "audit_log")


async def counts(relief: Relief) -> dict[str, int]:
    return {t: len(await relief.rows(f"SELECT 1 FROM {t}")) for t in TABLES}


async def test_the_demo_pays_this_month_to_the_approved_households_once(relief: Relief) -> None:
    await load_demo(relief.channel, admin_token=ADMIN, viewer_token=VIEWER, today=TODAY)
    await load_demo_applications(
        relief.channel, town_token=TOWN, district_token=ADMIN, viewer_token=VIEWER, today=TODAY
    )
    first = await load_demo_payments(relief.channel, district_token=ADMIN, viewer_token=VIEWER, today=TODAY)
    # 特困 and 低保 paid; the standards set no 低边 allowance (no figure in the seeds): counted, not paid ¥0.
    assert (first.period, first.paid, first.zero_amount) == ("2024-09", 2, 1) and first.paid_fen > 0
    paid = await relief.rows("SELECT programme, basis FROM relief_payment ORDER BY programme")
    # The month's re-classification confirms each approved programme: paid on its assessment.
    assert paid == [("dibao", "assessment"), ("tekun", "assessment")]

    before = await counts(relief)
    again = await load_demo_payments(relief.channel, district_token=ADMIN, viewer_token=VIEWER, today=TODAY)
    assert again.paid is None
    assert await counts(relief) == before
