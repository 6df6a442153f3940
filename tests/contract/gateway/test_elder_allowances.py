"""Old-age allowance runs, payments and e-voucher ledgers through the gateway, over real HTTP.

The stack's eldercare runs the packaged allowance policy, whose tiers carry no amounts (the seeds give
none): a run pays nobody and counts the eligible elders as skipped, per tier. That is what these tests
read back; paying amounts is covered by the service's own contract tests with a test policy.
"""

from __future__ import annotations

from typing import Any

from strawberry.relay.utils import to_base64

from tests.contract.gateway.conftest import VIEWER, Stack, add_beds, error_codes, register
from tests.contract.gateway.elder_community_support import (
    DISTRICT_OFFICER,
    fields_of,
    register_elder,
    today,
    town_officer,
)

TOWN = "330109101"  # 河上镇
OTHER_TOWN = "330109102"  # 戴村镇
RUN_FIELDS = """
  id period sequence startedAt finishedAt paidCount paidFen paidYuan skippedCount reportedCount
  paidByTier { programme policyKey elders amountFen }
  skippedByTier { programme policyKey elders }
"""
RUN = f"mutation R($period: String) {{ runElderAllowances(period: $period) {{ {RUN_FIELDS} }} }}"
RUNS = """
query L($period: String, $first: Int! = 20, $after: String) {
  elderAllowanceRuns(period: $period, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id period sequence paidCount skippedCount finishedAt } }
  }
}
"""
PAYMENTS = """
query P($elder: ID, $region: String, $period: String) {
  elderAllowancePayments(elderId: $elder, regionCode: $region, period: $period) {
    totalCount edges { node { id elderId programme period amountFen policyKey } }
  }
}
"""
BALANCE = "query B($elder: ID!) { voucherBalance(elderId: $elder) { elderId balanceFen balanceYuan } }"
LEDGER = """
query G($elder: ID!) {
  voucherLedger(elderId: $elder) {
    totalCount balance { balanceFen balanceYuan } edges { node { id kind amountFen reference } }
  }
}
"""
SPEND = """
mutation S($input: SpendVoucherInput!) {
  spendVoucher(input: $input) { id kind amountFen balanceAfterFen institutionId reference }
}
"""
ASSIGN = """
mutation A($input: AssignBedInput!) { assignBed(input: $input) { id status } }
"""


def month() -> str:
    """The current month in China, as the service counts it."""
    return today().strftime("%Y-%m")


async def test_a_run_under_the_packaged_policy_pays_nobody_and_counts_the_eligible_as_skipped(
    stack: Stack,
) -> None:
    elder, _ = await register_elder(stack, TOWN)  # 86 this year: the age_80 tier
    first = (await stack.data(RUN))["runElderAllowances"]
    assert first["period"] == month()
    assert first["sequence"] == 1
    assert first["finishedAt"] is not None
    assert (first["paidCount"], first["paidFen"], first["paidYuan"]) == (0, "0", "0.00")
    assert first["paidByTier"] == []
    assert first["skippedCount"] >= 1
    skipped = {(t["programme"], t["policyKey"]): t["elders"] for t in first["skippedByTier"]}
    assert skipped[("OLD_AGE", "age_80")] >= 1
    assert sum(skipped.values()) == first["skippedCount"]

    # Running the month again is allowed, pays nobody twice, and is the month's second run.
    second = (await stack.data(RUN, {"period": month()}, token=DISTRICT_OFFICER))["runElderAllowances"]
    assert (second["sequence"], second["paidCount"]) == (2, 0)

    # Newest first, a page at a time: each edge's cursor resumes right after its run.
    page = (await stack.data(RUNS, {"period": month(), "first": 1}, token=VIEWER))["elderAllowanceRuns"]
    assert page["totalCount"] == 2
    assert [e["node"]["sequence"] for e in page["edges"]] == [2]
    assert page["pageInfo"]["hasNextPage"] is True
    after = page["pageInfo"]["endCursor"]
    rest = (await stack.data(RUNS, {"period": month(), "after": after}, token=VIEWER))["elderAllowanceRuns"]
    assert [e["node"]["id"] for e in rest["edges"]] == [first["id"]]
    assert rest["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": rest["edges"][0]["cursor"],
    }

    # Nobody was paid: neither the elder nor the town has a payment.
    assert (await stack.data(PAYMENTS, {"elder": elder}))["elderAllowancePayments"]["totalCount"] == 0
    by_town = (await stack.data(PAYMENTS, {"region": TOWN, "period": month()}))["elderAllowancePayments"]
    assert by_town == {"totalCount": 0, "edges": []}


async def test_runs_are_district_wide_so_a_town_officer_may_neither_run_nor_read_them(stack: Stack) -> None:
    officer = town_officer(TOWN)
    before = (await stack.data(RUNS))["elderAllowanceRuns"]["totalCount"]
    assert error_codes(await stack.gql(RUN, token=officer)) == ["PERMISSION_DENIED"]
    assert error_codes(await stack.gql(RUNS, token=officer)) == ["PERMISSION_DENIED"]
    assert (await stack.data(RUNS))["elderAllowanceRuns"]["totalCount"] == before


async def test_a_future_or_malformed_month_is_refused_naming_period(stack: Stack) -> None:
    before = (await stack.data(RUNS))["elderAllowanceRuns"]["totalCount"]
    for period in ("2999-01", "2025-13"):
        body = await stack.gql(RUN, {"period": period})
        assert error_codes(body) == ["INVALID_ARGUMENT"]
        assert fields_of(body) == {"period"}
    assert (await stack.data(RUNS))["elderAllowanceRuns"]["totalCount"] == before


async def test_a_balance_and_ledger_are_the_elders_own_town_and_masked_as_absent_elsewhere(
    stack: Stack,
) -> None:
    elder, _ = await register_elder(stack, TOWN)
    mine = (await stack.data(BALANCE, {"elder": elder}, token=town_officer(TOWN)))["voucherBalance"]
    assert mine == {"elderId": elder, "balanceFen": "0", "balanceYuan": "0.00"}
    elsewhere = await stack.data(BALANCE, {"elder": elder}, token=town_officer(OTHER_TOWN))
    assert elsewhere == {"voucherBalance": None}
    assert error_codes(await stack.gql(LEDGER, {"elder": elder}, token=town_officer(OTHER_TOWN))) == [
        "NOT_FOUND"
    ]
    ledger = (await stack.data(LEDGER, {"elder": elder}))["voucherLedger"]
    assert ledger == {"totalCount": 0, "balance": {"balanceFen": "0", "balanceYuan": "0.00"}, "edges": []}


async def test_a_spend_beyond_the_balance_is_refused_and_nothing_is_written(stack: Stack) -> None:
    elder, id_number = await register_elder(stack, TOWN)
    institution = await register(stack, TOWN, "河上镇颐养院")
    bed = (await add_beds(stack, institution["id"], count=1))[0]
    assigned = await stack.data(
        ASSIGN, {"input": {"bedId": bed["id"], "elderIdNumber": id_number, "elderName": "王秀英"}}
    )
    assert assigned["assignBed"]["status"] == "OCCUPIED"
    spend: dict[str, Any] = {
        "elderId": elder,
        "institutionId": institution["id"],
        "amountFen": 1000,
        "reference": "HS-2025-001",
    }
    body = await stack.gql(SPEND, {"input": spend}, token=town_officer(TOWN))
    assert error_codes(body) == ["FAILED_PRECONDITION"]
    assert "balance" in body["errors"][0]["message"]
    # Read back: no ledger line, the balance still zero.
    ledger = (await stack.data(LEDGER, {"elder": elder}))["voucherLedger"]
    assert (ledger["totalCount"], ledger["balance"]["balanceFen"]) == (0, "0")


async def test_a_spend_with_bad_fields_names_them(stack: Stack) -> None:
    elder, _ = await register_elder(stack, TOWN)
    spend = {
        "elderId": elder,
        "institutionId": to_base64("Institution", "x"),
        "amountFen": -5,
        "reference": "",
    }
    body = await stack.gql(SPEND, {"input": spend})
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert fields_of(body) == {"amountFen", "reference"}
    # An ID of another type is refused by the gateway, naming the argument.
    body = await stack.gql(SPEND, {"input": {**spend, "elderId": to_base64("Bed", "1"), "amountFen": 5}})
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert fields_of(body) == {"elderId"}
    assert (await stack.data(LEDGER, {"elder": elder}))["voucherLedger"]["totalCount"] == 0
