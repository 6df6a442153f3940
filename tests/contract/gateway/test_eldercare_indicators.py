"""Eldercare indicators through the gateway: one call per query, targets and verdicts, scoping, typed errors.

The real eldercare service behind the real gateway, on the system clock (the current year). The
reference population is a test file named by ``$ELDERCARE_INDICATOR_FILE`` before the module's stack
starts; each test uses its own town so the figures are its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from services.eldercare.indicators import REFERENCE_ENV
from services.kit.policy import default_policy_path
from tests.contract.gateway.conftest import (
    ADMIN,
    Stack,
    add_beds,
    error_codes,
    new_town,
    register,
    town_token,
)

THIS_YEAR = datetime.now(UTC).year
COUNTED_TOWN = new_town()
UNCOUNTED_TOWN = new_town()

INDICATORS = """
query Indicators($region: String, $year: Int) {
  eldercareIndicators(regionCode: $region, year: $year) {
    regionCode year asOf elderlyPopulation populationSource
    certifiedCaregiversPer10k { numerator denominator value target status }
    seniorCaregiverShare { numerator denominator value status }
    dementiaBedsPer10k { numerator denominator value target baseline status targetSource }
    familyCareBeds { value target status }
    nursingBedShare { numerator denominator value target baseline status }
    mealVillageCoverage { numerator denominator value status }
  }
}
"""


@pytest.fixture(scope="module", autouse=True)
def reference_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Packaged targets plus a test population for one town, in place before the stack starts."""
    data = yaml.safe_load(Path(default_policy_path("eldercare_indicators")).read_text(encoding="utf-8"))
    data["population"] = [{"region": COUNTED_TOWN, "year": THIS_YEAR, "elders": 2000, "source": "test"}]
    path = tmp_path_factory.mktemp("indicators") / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(REFERENCE_ENV, str(path))
        yield


async def test_a_towns_indicators_come_in_one_call_with_targets_and_verdicts(stack: Stack) -> None:
    home = await register(stack, COUNTED_TOWN)
    await add_beds(stack, home["id"], 7, "NURSING")
    await add_beds(stack, home["id"], 3, "GENERAL")
    await add_beds(stack, home["id"], 4, "DEMENTIA_CARE")
    await add_beds(stack, home["id"], 2, "FAMILY_CARE")

    stack.gateway.counter.calls.clear()
    data = await stack.data(INDICATORS, {"region": COUNTED_TOWN}, token=town_token(COUNTED_TOWN))

    assert stack.gateway.counter.calls == {"GetEldercareIndicators": 1}
    got = data["eldercareIndicators"]
    assert (got["regionCode"], got["year"], got["elderlyPopulation"]) == (COUNTED_TOWN, THIS_YEAR, 2000)
    assert got["dementiaBedsPer10k"] == {
        "numerator": 4,
        "denominator": 2000,
        "value": 20.0,
        "target": 20.0,
        "baseline": None,
        "status": "MET",
        "targetSource": "seed 004 appendix: 每万名老年人拥有认知障碍床位数20张 (2021: _)",
    }
    # Family-care beds are in elders' homes: not institution beds, and 500 is the district's target.
    assert got["familyCareBeds"] == {"value": 2.0, "target": None, "status": "NO_TARGET"}
    nursing = got["nursingBedShare"]
    assert (nursing["numerator"], nursing["denominator"], nursing["value"]) == (7, 14, 0.5)
    assert (nursing["target"], nursing["baseline"], nursing["status"]) == (0.65, 0.5593, "NOT_MET")
    assert got["certifiedCaregiversPer10k"] == {
        "numerator": 0,
        "denominator": 2000,
        "value": 0.0,
        "target": 28.0,
        "status": "NOT_MET",
    }
    assert got["seniorCaregiverShare"]["status"] == "NO_DATA"


async def test_a_town_without_a_reference_population_says_so(stack: Stack) -> None:
    home = await register(stack, UNCOUNTED_TOWN)
    await add_beds(stack, home["id"], 1, "DEMENTIA_CARE")
    got = (await stack.data(INDICATORS, {"region": UNCOUNTED_TOWN}))["eldercareIndicators"]
    assert (got["elderlyPopulation"], got["populationSource"]) == (None, None)
    dementia = got["dementiaBedsPer10k"]
    assert (dementia["numerator"], dementia["value"], dementia["status"]) == (
        1,
        None,
        "NO_REFERENCE_POPULATION",
    )


async def test_bad_input_and_foreign_regions_are_typed_errors(stack: Stack) -> None:
    body = await stack.gql(INDICATORS, {"region": "3301", "year": 1990}, token=ADMIN)
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert sorted(f["field"] for f in body["errors"][0]["extensions"]["fields"]) == ["regionCode", "year"]
    body = await stack.gql(INDICATORS, {"region": UNCOUNTED_TOWN}, token=town_token(COUNTED_TOWN))
    assert error_codes(body) == ["PERMISSION_DENIED"]
