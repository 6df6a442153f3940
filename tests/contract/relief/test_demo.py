"""The demo loader over the real service: every classification appears, and a second run adds nothing."""

from __future__ import annotations

import pytest

from services.relief.demo import load_demo
from services.relief.demo_households import HOUSEHOLDS
from tests.contract.relief.conftest import ADMIN, TODAY, VIEWER, Relief

# The demo goes through the public API only; one backend shows that as well as two.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def test_the_demo_shows_every_classification_and_converges(relief: Relief) -> None:
    first = await load_demo(relief.channel, admin_token=ADMIN, viewer_token=VIEWER, today=TODAY)
    assert first.households == len(HOUSEHOLDS) and first.incomes > 0
    intended = {h.intended for h in HOUSEHOLDS}
    assert intended == {"tekun", "dibao", "dibian", "none"}
    assert first.classifications is not None
    assert dict(first.classifications) == {k: sum(h.intended == k for h in HOUSEHOLDS) for k in intended}
    towns = {h.village[:9] for h in HOUSEHOLDS}
    assert len(towns) >= 5

    before = await relief.counts()
    again = await load_demo(relief.channel, admin_token=ADMIN, viewer_token=VIEWER, today=TODAY)
    assert (again.households, again.incomes) == (0, 0)
    assert again.classifications == first.classifications
    after = await relief.counts()
    assert after == before  # read as a viewer: not even an audit row
