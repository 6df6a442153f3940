"""The inbound contract of child welfare: ID digests, payload checks, and what each event proposes."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from services.childwelfare import inbound
from services.childwelfare.handlers import draft_for_death, draft_for_end, draft_for_grant
from services.childwelfare.rules import ProtectionCategory as C
from services.kit.idcard import make_id_number
from services.kit.settings import load_settings

KEY = b"k" * 32
NUMBER = make_id_number(area_code="330109", birth_date=date(2015, 5, 1), sequence=101)
X_NUMBER = "33010920150501007X"  # its check character is X (make_id_number(sequence=7))
JUNE = date(2025, 6, 1)


def test_the_digest_is_a_keyed_sha256_that_the_same_number_always_gives() -> None:
    digest = inbound.id_number_digest(NUMBER, KEY)
    assert len(digest) == 64 and set(digest) <= set("0123456789abcdef")
    assert inbound.id_number_digest(f" {NUMBER} ", KEY) == digest


def test_a_lower_case_x_gives_the_same_digest_as_an_upper_case_one() -> None:
    assert make_id_number(area_code="330109", birth_date=date(2015, 5, 1), sequence=7) == X_NUMBER
    assert inbound.id_number_digest(X_NUMBER.lower(), KEY) == inbound.id_number_digest(X_NUMBER, KEY)


def test_without_the_key_a_digest_cannot_be_recomputed_from_a_guessed_number() -> None:
    digest = inbound.id_number_digest(NUMBER, KEY)
    assert digest != hashlib.sha256(NUMBER.encode()).hexdigest()
    assert digest != inbound.id_number_digest(NUMBER, b"another key of the same length!!")
    assert inbound.key_id(KEY) != inbound.key_id(b"another key") and len(inbound.key_id(KEY)) == 16


def test_the_key_comes_from_the_environment_and_production_refuses_to_run_without_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MINZHENG_ID_DIGEST_KEY", raising=False)
    assert inbound.id_digest_key(load_settings("childwelfare")) == inbound.DEV_ID_DIGEST_KEY.encode()
    production = {"environment": "production", "jwt_secret": "s" * 40, "database_url": "sqlite+aiosqlite://"}
    with pytest.raises(ValueError, match="MINZHENG_ID_DIGEST_KEY"):
        inbound.id_digest_key(load_settings("childwelfare", **production))
    monkeypatch.setenv("MINZHENG_ID_DIGEST_KEY", "a-real-shared-key-of-at-least-32-chars")
    assert (
        inbound.id_digest_key(load_settings("childwelfare", **production))
        == b"a-real-shared-key-of-at-least-32-chars"
    )


def test_a_payload_that_breaks_the_contract_names_the_fields_but_never_echoes_their_values() -> None:
    with pytest.raises(inbound.ContractViolation) as info:
        inbound.parse(
            inbound.AssistanceGranted,
            {
                "household_id": "hh",
                "region_code": "330109001",  # a town, not a village
                "programme": "wubao",
                "effective_from": "2025-06-01",
                "members": [{"person_ref": "p", "id_digest": NUMBER}],
            },
        )
    text = str(info.value)
    assert "region_code" in text and "programme" in text and "members.0.id_digest" in text
    assert NUMBER not in text


def test_a_payload_with_extra_fields_is_read_for_the_fields_child_welfare_needs() -> None:
    death = inbound.parse(
        inbound.DeathRegistered,
        {
            "death_id": "d-1",
            "region_code": "330109001001",
            "deceased": {"person_ref": "p", "id_digest": "a" * 64, "name": "ignored"},
            "date_of_death": "2025-06-12",
            "cremation_booked": True,
        },
    )
    assert death.dependants == [] and death.date_of_death == date(2025, 6, 12)


@pytest.mark.parametrize(
    ("current", "programme", "proposed"),
    [
        (C.LEFT_BEHIND, "dibao", C.DIBAO_FAMILY),
        (C.DIBIAN_FAMILY, "dibao", C.DIBAO_FAMILY),
        (C.DIBAO_FAMILY, "dibian", C.DIBIAN_FAMILY),
        (C.OTHER, "dibian", C.DIBIAN_FAMILY),
    ],
)
def test_a_dibao_or_dibian_grant_proposes_the_matching_category(
    current: C, programme: inbound.Programme, proposed: C
) -> None:
    draft = draft_for_grant(current, programme, JUNE)
    assert draft is not None and draft.kind == "category_change" and draft.proposed_category == proposed
    assert draft.topic == f"category:{proposed.value}" and "2025-06-01" in draft.reason


@pytest.mark.parametrize(
    ("current", "programme"),
    [
        (C.DIBAO_FAMILY, "dibao"),
        (C.DIBIAN_FAMILY, "dibian"),
        (C.ORPHAN_SCATTERED, "dibao"),
        (C.ORPHAN_INSTITUTION, "tekun"),
        (C.DE_FACTO_UNATTENDED, "dibian"),
    ],
)
def test_a_grant_proposes_nothing_for_a_child_already_in_that_or_a_higher_category(
    current: C, programme: inbound.Programme
) -> None:
    assert draft_for_grant(current, programme, JUNE) is None


def test_a_tekun_grant_asks_for_a_reassessment_not_a_category() -> None:
    draft = draft_for_grant(C.LEFT_BEHIND, "tekun", JUNE)
    assert draft is not None and draft.kind == "reassessment" and draft.proposed_category is None
    assert "特困" in draft.reason


def test_an_ended_programme_asks_to_review_only_the_children_whose_category_rests_on_it() -> None:
    draft = draft_for_end(C.DIBAO_FAMILY, "dibao", "terminated", JUNE, "income above the standard")
    assert draft is not None and draft.kind == "reassessment"
    assert "terminated" in draft.reason and "income above the standard" in draft.reason
    assert draft_for_end(C.LEFT_BEHIND, "dibao", "suspended", JUNE, "") is None
    assert draft_for_end(C.ORPHAN_SCATTERED, "tekun", "suspended", JUNE, "") is not None


def test_a_guardians_death_is_a_high_priority_reassessment() -> None:
    draft = draft_for_death(date(2025, 6, 12))
    assert draft.priority == "high" and draft.kind == "reassessment"
    assert draft.topic == "reassess:guardian-died"
