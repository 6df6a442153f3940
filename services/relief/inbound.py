"""The events relief consumes for proactive discovery (主动发现), as the contracts their publishers keep.

Tolerant readers: extra fields are ignored, the ones here must be present and well-formed (a service
never imports another, so the contract is written down here; the catalogue test checks it against the
publisher's payload once one exists).

- ``civic.eldercare.elder-assessed`` and ``civic.childwelfare.child-registered`` name the person by
  ``id_digest`` (kit.iddigest), matched exactly through ``person_identity_digest``. Events published
  before the publishers added it carry only the MASKED number (``330109********123X``): for those
  relief matches what it can — a current member whose number has that area code and those last four
  characters, of that age, in a household under the event's region — and flags only a unique match.
- ``civic.funeral.death-registered``: the contract childwelfare and eldercare declare (funeral is not
  written yet); the deceased is named by ``id_digest`` and matched through ``person_identity_digest``.

A payload that breaks the contract raises ``ContractViolation`` (kit.consumer.Unprocessable): rolled
back and dead-lettered at once, its values never echoed (a faulty publisher's clear number must not leak).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from services.kit.event_catalog import define_consumed
from services.kit.inbound import ContractViolation as ContractViolation
from services.kit.inbound import InboundModel as _Inbound
from services.kit.inbound import parse as parse

ELDERCARE_ELDER_ASSESSED = "civic.eldercare.elder-assessed"
CHILDWELFARE_CHILD_REGISTERED = "civic.childwelfare.child-registered"
FUNERAL_DEATH_REGISTERED = "civic.funeral.death-registered"

DIGEST_PATTERN = r"^[0-9a-f]{64}$"
VILLAGE_PATTERN = r"^[0-9]{12}$"
REGION_PATTERN = r"^[0-9]{6}([0-9]{3}([0-9]{3})?)?$"
MASKED_ID_PATTERN = r"^[0-9]{6}\*{8}[0-9]{3}[0-9X]$"


class ElderAssessed(_Inbound):
    """civic.eldercare.elder-assessed: a capability assessment was recorded for an elder."""

    elder_id_masked: str = Field(pattern=MASKED_ID_PATTERN)
    id_digest: str | None = Field(default=None, pattern=DIGEST_PATTERN, description="Absent in older events.")
    region_code: str = Field(pattern=REGION_PATTERN, description="The elder's town or village.")
    level: str = Field(min_length=1, max_length=20, description="intact, mild, moderate, severe, complete.")
    assessed_on: date
    age: int = Field(ge=0, le=150, description="Age in full years on the assessment day.")
    current: bool = Field(description="Whether this is now the elder's current level.")


class ChildRegistered(_Inbound):
    """civic.childwelfare.child-registered: a child entered the protection registry."""

    child_id_masked: str = Field(pattern=MASKED_ID_PATTERN)
    id_digest: str | None = Field(default=None, pattern=DIGEST_PATTERN, description="Absent in older events.")
    region_code: str = Field(pattern=REGION_PATTERN, description="The child's village.")
    category: str = Field(min_length=1, max_length=40, description="e.g. de_facto_unattended.")
    age: int = Field(ge=0, le=30, description="Age in full years on the day of registration.")
    at: datetime = Field(description="When the child was registered (UTC).")


class PersonRef(_Inbound):
    """A person in another service's event: its own opaque reference and the ID-number digest."""

    person_ref: str = Field(min_length=1, max_length=100, description="The publisher's id for the person.")
    id_digest: str = Field(pattern=DIGEST_PATTERN, description="id_number_digest of the ID number.")


class DeathRegistered(_Inbound):
    """civic.funeral.death-registered: a death was registered (身后一件事 starts)."""

    death_id: str = Field(min_length=1, max_length=100, description="The funeral service's record id.")
    region_code: str = Field(pattern=VILLAGE_PATTERN, description="The deceased's village of residence.")
    deceased: PersonRef
    date_of_death: date
    registered_at: datetime | None = None


CONSUMER = "relief"
define_consumed(
    CONSUMER,
    ELDERCARE_ELDER_ASSESSED,
    ElderAssessed,
    "An elder assessed severe or complete (current level) flags their household when it holds neither "
    "低保 nor 特困 (matched by masked ID number, age and region).",
)
define_consumed(
    CONSUMER,
    CHILDWELFARE_CHILD_REGISTERED,
    ChildRegistered,
    "A child registered de-facto unattended or as a scattered orphan flags their household when it holds "
    "neither 低保 nor 特困 (matched by masked ID number, age and region).",
)
define_consumed(
    CONSUMER,
    FUNERAL_DEATH_REGISTERED,
    DeathRegistered,
    "The deceased leaves their household (reason died); a household holding a programme is flagged for "
    "re-assessment, and one left with no members has its grants terminated.",
)
