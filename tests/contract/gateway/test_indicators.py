"""Child-welfare indicators through the gateway: one call per query, exact money, scoping, typed errors.

The real childwelfare service (clock fixed at 15 June 2025 in Shanghai) behind the real gateway; the
test uses its own town so the figures are its own.
"""

from __future__ import annotations

from tests.contract.gateway.conftest import ADMIN, Stack, error_codes, new_town, town_token
from tests.contract.gateway.test_childwelfare import (
    assign_director,
    director_token,
    register_child,
    visit_input,
)

INDICATORS = """
query Indicators($region: String, $year: Int) {
  childWelfareIndicators(regionCode: $region, year: $year) {
    regionCode year asOf
    visitRate { numerator denominator rate target }
    visitRateByMonth { month asOf rate { numerator denominator rate } }
    categories { category registered paidChildren paidFen paidYuan }
    registeredChildren paidChildren paidFen paidYuan temporaryGuardianships
    childrenHomeTownCoverage { numerator denominator rate target }
    childrenHomeVillageCoverage { numerator denominator rate }
  }
}
"""
VISIT = "mutation Visit($input: RecordChildVisitInput!) { recordChildVisit(input: $input) { id } }"


async def test_indicators_of_a_town_in_one_call(stack: Stack) -> None:
    town = new_town()
    village = f"{town}001"
    await assign_director(stack, village)
    child = await register_child(stack, village, since="2025-06-02")
    await register_child(stack, village, category="DIBAO_FAMILY", since="2025-06-02")
    await stack.data(VISIT, visit_input(child["id"], "2025-06-10"), token=director_token(village))

    stack.gateway.counter.calls.clear()
    data = await stack.data(INDICATORS, {"region": town, "year": 2025}, token=town_token(town))

    assert stack.gateway.counter.calls == {"GetIndicators": 1}
    figures = data["childWelfareIndicators"]
    assert (figures["regionCode"], figures["year"], figures["asOf"]) == (town, 2025, "2025-06-15")
    june = figures["visitRateByMonth"][-1]
    assert june == {
        "month": "2025-06",
        "asOf": "2025-06-15",
        "rate": {"numerator": 1, "denominator": 1, "rate": 1.0},
    }
    assert figures["visitRate"] == {"numerator": 1, "denominator": 1, "rate": 1.0, "target": 1.0}
    assert sorted((c["category"], c["registered"]) for c in figures["categories"]) == [
        ("DIBAO_FAMILY", 1),
        ("LEFT_BEHIND", 1),
    ]
    assert (figures["registeredChildren"], figures["paidFen"], figures["paidYuan"]) == (2, "0", "0.00")


async def test_a_bad_year_names_the_field_and_other_towns_are_refused(stack: Stack) -> None:
    town, other = new_town(), new_town()
    body = await stack.gql(INDICATORS, {"year": 1990}, token=ADMIN)
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert [f["field"] for f in body["errors"][0]["extensions"]["fields"]] == ["year"]

    body = await stack.gql(INDICATORS, {"region": other}, token=town_token(town))
    assert error_codes(body) == ["PERMISSION_DENIED"]
