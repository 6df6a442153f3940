"""Family-care beds' services through the gateway: attach, list, end, one call each, typed errors."""

from __future__ import annotations

from typing import Any

from tests.contract.gateway.conftest import Stack, add_beds, error_codes, new_town, register, town_token

ATTACH = """
mutation Attach($input: AttachFamilyCareServiceInput!) {
  attachFamilyCareService(input: $input) {
    id bedId regionCode kind department provider times period startedOn endedOn
  }
}
"""
END = """
mutation End($input: EndFamilyCareServiceInput!) {
  endFamilyCareService(input: $input) { id endedOn endReason }
}
"""
LIST = """
query Services($beds: [ID!]!, $ended: Boolean!) {
  familyCareServices(bedIds: $beds, includeEnded: $ended) { id kind department endedOn }
}
"""


def attach_input(
    bed_id: str, kind: str = "HOME_CARE", times: int = 2, period: str = "WEEK"
) -> dict[str, Any]:
    return {
        "input": {
            "bedId": bed_id,
            "kind": kind,
            "provider": "萧山区康护到家服务中心",
            "times": times,
            "period": period,
            "startedOn": "2025-06-01",
        }
    }


async def family_bed(stack: Stack, town: str, bed_type: str = "FAMILY_CARE") -> str:
    home = await register(stack, town, f"颐养院 {bed_type}")
    return (await add_beds(stack, home["id"], 1, bed_type))[0]["id"]


async def test_services_are_attached_listed_and_ended_one_call_each(stack: Stack) -> None:
    town = new_town()
    bed = await family_bed(stack, town)
    token = town_token(town)

    stack.gateway.counter.calls.clear()
    care = (await stack.data(ATTACH, attach_input(bed), token=token))["attachFamilyCareService"]
    assert stack.gateway.counter.calls == {"AttachFamilyCareService": 1}
    assert (care["bedId"], care["regionCode"], care["department"]) == (bed, town, "civil_affairs")
    assert (care["times"], care["period"], care["startedOn"], care["endedOn"]) == (
        2,
        "WEEK",
        "2025-06-01",
        None,
    )
    await stack.data(ATTACH, attach_input(bed, "HOME_HOSPITAL_BED", 4, "MONTH"), token=token)

    listed = (await stack.data(LIST, {"beds": [bed], "ended": False}, token=token))["familyCareServices"]
    assert {(s["kind"], s["department"]) for s in listed} == {
        ("HOME_CARE", "civil_affairs"),
        ("HOME_HOSPITAL_BED", "health"),
    }

    ended = await stack.data(END, {"input": {"serviceId": care["id"], "reason": "moved"}}, token=token)
    assert ended["endFamilyCareService"]["endReason"] == "moved"
    running = (await stack.data(LIST, {"beds": [bed], "ended": False}, token=token))["familyCareServices"]
    assert [s["kind"] for s in running] == ["HOME_HOSPITAL_BED"]


async def test_refusals_arrive_as_typed_errors(stack: Stack) -> None:
    town = new_town()
    nursing = await family_bed(stack, town, "NURSING")
    bed = await family_bed(stack, town)
    body = await stack.gql(ATTACH, attach_input(nursing))
    assert error_codes(body) == ["FAILED_PRECONDITION"]
    body = await stack.gql(ATTACH, attach_input(bed, times=2, period="ONCE"))
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert [f["field"] for f in body["errors"][0]["extensions"]["fields"]] == ["times"]
    await stack.data(ATTACH, attach_input(bed))
    assert error_codes(await stack.gql(ATTACH, attach_input(bed))) == ["ALREADY_EXISTS"]
    body = await stack.gql(ATTACH, attach_input(bed), token=town_token(new_town()))
    assert error_codes(body) == ["NOT_FOUND"]
    body = await stack.gql(LIST, {"beds": ["not-a-bed"], "ended": True})
    assert error_codes(body) == ["INVALID_ARGUMENT"]
