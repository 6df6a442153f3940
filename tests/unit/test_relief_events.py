"""Relief's assistance events against the contract of their consumers (childwelfare and eldercare).

Each payload relief builds is parsed with BOTH consumers' inbound models, as their handlers will: a
field dropped or renamed in relief fails here, not in production. No clear ID number may travel.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from services.childwelfare import inbound as childwelfare_inbound
from services.eldercare import inbound as eldercare_inbound
from services.kit import asyncapi
from services.kit.event_catalog import consumed_events
from services.kit.idcard import make_id_number
from services.kit.iddigest import DEV_ID_DIGEST_KEY, id_number_digest
from services.relief.events import (
    ASSISTANCE_GRANTED,
    ASSISTANCE_SUSPENDED,
    ASSISTANCE_TERMINATED,
    AssistanceGranted,
    AssistanceMember,
    AssistanceSuspended,
    AssistanceTerminated,
)

KEY = DEV_ID_DIGEST_KEY.encode()
HEAD = make_id_number(area_code="330109", birth_date=date(1980, 5, 1), sequence=11)
CHILD = make_id_number(area_code="330109", birth_date=date(2015, 3, 2), sequence=12)
MEMBERS = [
    AssistanceMember(person_ref="p-1", id_digest=id_number_digest(HEAD, KEY), relation="head"),
    AssistanceMember(person_ref="p-2", id_digest=id_number_digest(CHILD, KEY), relation="child"),
]
COMMON = {
    "grant_id": "g-1",
    "household_id": "h-1",
    "region_code": "330109001001",
    "town_code": "330109001",
    "programme": "dibao",
    "members": MEMBERS,
    "at": datetime(2024, 9, 15, 2, tzinfo=UTC),
}


def granted() -> AssistanceGranted:
    return AssistanceGranted(
        **COMMON,
        effective_from=date(2024, 9, 15),
        monthly_amount_fen=120_000,
        application_id="a-1",
        granted_by="district-officer",
    )


def ended(model: type[AssistanceSuspended] | type[AssistanceTerminated]) -> AssistanceSuspended:
    return model(**COMMON, effective_from=date(2024, 11, 1), reason="income rose", decided_by="officer")


def wire(payload: AssistanceGranted | AssistanceSuspended) -> dict[str, object]:
    """The payload as consumers receive it (the outbox's JSON)."""
    return payload.model_dump(mode="json")


@pytest.mark.parametrize(
    "inbound", [childwelfare_inbound, eldercare_inbound], ids=["childwelfare", "eldercare"]
)
def test_the_granted_payload_parses_with_each_consumers_inbound_model(inbound: object) -> None:
    parsed = inbound.parse(inbound.AssistanceGranted, wire(granted()))  # type: ignore[attr-defined]
    assert (parsed.household_id, parsed.region_code, parsed.programme) == ("h-1", "330109001001", "dibao")
    assert parsed.effective_from == date(2024, 9, 15)
    assert [m.id_digest for m in parsed.members] == [m.id_digest for m in MEMBERS]
    assert [m.person_ref for m in parsed.members] == ["p-1", "p-2"]


@pytest.mark.parametrize(
    "inbound", [childwelfare_inbound, eldercare_inbound], ids=["childwelfare", "eldercare"]
)
@pytest.mark.parametrize("model", [AssistanceSuspended, AssistanceTerminated])
def test_the_suspended_and_terminated_payloads_parse_as_each_consumers_ended_model(
    inbound: object, model: type[AssistanceSuspended]
) -> None:
    parsed = inbound.parse(inbound.AssistanceEnded, wire(ended(model)))  # type: ignore[attr-defined]
    assert parsed.effective_from == date(2024, 11, 1) and parsed.programme == "dibao"
    assert len(parsed.members) == 2


def test_childwelfare_reads_the_reason_of_an_ended_programme() -> None:
    parsed = childwelfare_inbound.parse(
        childwelfare_inbound.AssistanceEnded, wire(ended(AssistanceTerminated))
    )
    assert parsed.reason == "income rose"


def test_the_consumers_digest_of_a_member_matches_what_relief_sends() -> None:
    # Childwelfare and eldercare compute the same kit.iddigest of their own people's numbers.
    assert childwelfare_inbound.id_number_digest(CHILD, KEY) == MEMBERS[1].id_digest


def test_a_clear_id_number_is_refused_in_a_member() -> None:
    with pytest.raises(ValidationError):
        AssistanceMember(person_ref="p-1", id_digest=HEAD, relation="head")


def test_no_payload_field_holds_a_clear_id_number() -> None:
    for payload in (granted(), ended(AssistanceSuspended), ended(AssistanceTerminated)):
        text = payload.model_dump_json()
        assert HEAD not in text and CHILD not in text


def test_relief_sends_every_field_its_consumers_require_on_each_subject() -> None:
    events = {e.subject: e for e in (ASSISTANCE_GRANTED, ASSISTANCE_SUSPENDED, ASSISTANCE_TERMINATED)}
    relief_consumers = [c for c in consumed_events() if c.subject in events]
    assert {c.service for c in relief_consumers} == {"childwelfare", "eldercare"}
    assert asyncapi.incompatibilities(events, relief_consumers) == []


def test_a_village_code_is_required() -> None:
    with pytest.raises(ValidationError):
        AssistanceGranted(
            **{**COMMON, "region_code": "330109001"},
            effective_from=date(2024, 9, 1),
            monthly_amount_fen=0,
            application_id=None,
            granted_by="x",
        )
