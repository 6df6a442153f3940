"""The demo applications over the real service: one in every step, grants for the approvals, and a
second run that adds nothing."""

from __future__ import annotations

import pytest

from services.kit.auth import Role
from services.relief.demo import load_demo
from services.relief.demo_applications import load_demo_applications
from services.relief.demo_households import APPLICATIONS
from tests.contract.relief.conftest import ADMIN, CODEC, DISTRICT, TODAY, VIEWER, Relief

# The demo goes through the public API only; one backend shows that as well as two.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

TOWN = CODEC.mint("demo-town-officer", roles=[Role.TOWN_OFFICER], regions=[DISTRICT])
TABLES = ("relief_application", "relief_application_step", "assistance_grant", "outbox", "audit_log")


async def counts(relief: Relief) -> dict[str, int]:
    """Rows of the application tables, read behind the service's back."""
    return {t: len(await relief.rows(f"SELECT 1 FROM {t}")) for t in TABLES}


async def test_the_demo_applications_reach_every_step_and_converge(relief: Relief) -> None:
    await load_demo(relief.channel, admin_token=ADMIN, viewer_token=VIEWER, today=TODAY)
    first = await load_demo_applications(
        relief.channel, town_token=TOWN, district_token=ADMIN, viewer_token=VIEWER, today=TODAY
    )
    assert first.submitted == len(APPLICATIONS)
    assert set(first.states) == {"submitted", "reviewed", "approved", "rejected", "appealed"}
    stored = await relief.rows("SELECT state, count(*) FROM relief_application GROUP BY state")
    assert dict(stored) == dict(first.states)  # type: ignore[arg-type]
    grants = await relief.rows("SELECT programme FROM assistance_grant WHERE status = 'active'")
    assert sorted(g[0] for g in grants) == ["dibao", "dibian", "tekun"]

    before = await counts(relief)
    again = await load_demo_applications(
        relief.channel, town_token=TOWN, district_token=ADMIN, viewer_token=VIEWER, today=TODAY
    )
    assert (again.submitted, again.steps) == (0, 0) and again.states == first.states
    assert await counts(relief) == before
