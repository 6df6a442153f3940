"""Relief payments over real HTTP: gateway (uvicorn) → relief (gRPC, SQLite).

A 低保 household granted on an application is paid by ``runReliefPayments``; its ledger shows the month
on the grant's amount (no re-classification of the month has run); a month in the future is a typed
field error; an officer of another town sees neither the ledger nor any overpayment. relief runs on the
stack's clock: today is 15 June 2025.
"""

from __future__ import annotations

from typing import Any

from tests.contract.gateway.conftest import Stack, error_codes, new_town, town_token
from tests.contract.gateway.test_relief_applications import (
    APPROVE,
    DISTRICT_OFFICER,
    REVIEW,
    dibao_household,
    step,
    submit,
)

RUN = """
mutation Run($period: String) {
  runReliefPayments(period: $period) {
    id period sequence paidCount paidFen paidYuan reportedCount eventPublished classificationRunId
    paidByProgramme { programme households amountFen amountYuan }
  }
}
"""
LEDGER = """
query Ledger($household: ID!) {
  reliefLedger(householdId: $household, first: 5) {
    totalCount paidFen overpaidOpenFen
    edges { node { period programme amountFen amountYuan basis classification standardsDay } }
    overpayments { id period }
  }
}
"""
OVERPAYMENTS = "query { reliefOverpayments(first: 5) { totalCount edges { node { id } } } }"


async def granted(stack: Stack, town: str) -> dict[str, Any]:
    household = await dibao_household(stack, town)
    officer = town_token(town)
    made = await submit(stack, household["id"], officer, "dibao")
    await step(stack, REVIEW, officer, id=made["id"])
    approved = await step(stack, APPROVE, DISTRICT_OFFICER, id=made["id"])
    assert approved["data"]["approveReliefApplication"]["state"] == "APPROVED", approved
    return household


async def test_a_month_paid_shows_on_the_households_ledger_in_its_town_only(stack: Stack) -> None:
    town = new_town()
    household = await granted(stack, town)
    run = (await stack.data(RUN, {"period": "2025-06"}, token=DISTRICT_OFFICER))["runReliefPayments"]
    assert run["period"] == "2025-06" and run["paidCount"] >= 1 and run["classificationRunId"] is None
    assert int(run["paidFen"]) == sum(int(p["amountFen"]) for p in run["paidByProgramme"])

    ledger = (await stack.data(LEDGER, {"household": household["id"]}, token=town_token(town)))[
        "reliefLedger"
    ]
    (line,) = [e["node"] for e in ledger["edges"]]
    assert (line["period"], line["programme"], line["basis"]) == ("2025-06", "DIBAO", "GRANT")
    assert int(line["amountFen"]) > 0 and line["classification"] is None and line["standardsDay"] is None
    assert (
        ledger["totalCount"] == 1 and ledger["paidFen"] == line["amountFen"] and ledger["overpayments"] == []
    )

    again = (await stack.data(RUN, {"period": "2025-06"}, token=DISTRICT_OFFICER))["runReliefPayments"]
    assert again["paidCount"] == 0 and again["eventPublished"] is False

    future = await stack.gql(RUN, {"period": "2025-07"}, token=DISTRICT_OFFICER)
    assert error_codes(future) == ["INVALID_ARGUMENT"]
    other = new_town()
    hidden = await stack.gql(LEDGER, {"household": household["id"]}, token=town_token(other))
    assert error_codes(hidden) == ["NOT_FOUND"]
    refused = await stack.gql(RUN, {"period": "2025-06"}, token=town_token(town))
    assert error_codes(refused) == ["PERMISSION_DENIED"]
    assert (await stack.data(OVERPAYMENTS, token=town_token(other)))["reliefOverpayments"]["totalCount"] == 0
