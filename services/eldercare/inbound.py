"""The events eldercare consumes, as the contract their publishers (relief, funeral) must keep.

Relief and funeral do not exist yet; these models are what eldercare EXPECTS on
``civic.relief.assistance-granted`` / ``-suspended`` / ``-terminated`` and
``civic.funeral.death-registered``: the same payloads child welfare declares (a service never imports
another, so the contract is written down here too; the catalogue test checks both against the
publishers once they exist). Extra fields are ignored: a consumer reads only what it needs.

People are named by ``id_digest`` (``kit.iddigest``: HMAC-SHA256 of the ID number under the platform
key), never the clear number (DESIGN §3); ``handlers`` matches them to elders through
``elder_identity_digest``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from services.kit.event_catalog import define_consumed
from services.kit.inbound import ContractViolation as ContractViolation
from services.kit.inbound import InboundModel as _Inbound
from services.kit.inbound import parse as parse

RELIEF_ASSISTANCE_GRANTED = "civic.relief.assistance-granted"
RELIEF_ASSISTANCE_SUSPENDED = "civic.relief.assistance-suspended"
RELIEF_ASSISTANCE_TERMINATED = "civic.relief.assistance-terminated"
FUNERAL_DEATH_REGISTERED = "civic.funeral.death-registered"

DIGEST_PATTERN = r"^[0-9a-f]{64}$"
VILLAGE_PATTERN = r"^[0-9]{12}$"
Programme = Literal["dibao", "dibian", "tekun"]


class PersonRef(_Inbound):
    """A person in another service's event: its own opaque reference and the ID-number digest."""

    person_ref: str = Field(min_length=1, max_length=100, description="The publisher's id for the person.")
    id_digest: str = Field(pattern=DIGEST_PATTERN, description="id_number_digest of the ID number.")


class AssistanceGranted(_Inbound):
    """civic.relief.assistance-granted: a household was granted 低保 / 低边 / 特困 from a date."""

    household_id: str = Field(min_length=1, max_length=100)
    region_code: str = Field(pattern=VILLAGE_PATTERN, description="The household's village (12 digits).")
    programme: Programme = Field(description="dibao 低保, dibian 低边, tekun 特困.")
    effective_from: date
    members: list[PersonRef] = Field(description="Every member of the household, elders included.")


class AssistanceEnded(_Inbound):
    """civic.relief.assistance-suspended / -terminated: the household's programme stopped from a date."""

    household_id: str = Field(min_length=1, max_length=100)
    region_code: str = Field(pattern=VILLAGE_PATTERN)
    programme: Programme
    effective_from: date = Field(description="The first day without the assistance.")
    members: list[PersonRef]


class DeathRegistered(_Inbound):
    """civic.funeral.death-registered: a death was registered (身后一件事 starts)."""

    death_id: str = Field(min_length=1, max_length=100, description="The funeral service's record id.")
    region_code: str = Field(pattern=VILLAGE_PATTERN, description="The deceased's village of residence.")
    deceased: PersonRef
    date_of_death: date
    registered_at: datetime | None = None


CONSUMER = "eldercare"
define_consumed(
    CONSUMER,
    RELIEF_ASSISTANCE_GRANTED,
    AssistanceGranted,
    "Elders among the members hold the programme from its date (e-voucher eligibility from the next month).",
)
define_consumed(
    CONSUMER,
    RELIEF_ASSISTANCE_SUSPENDED,
    AssistanceEnded,
    "Elders among the members no longer hold the programme from its date.",
)
define_consumed(
    CONSUMER,
    RELIEF_ASSISTANCE_TERMINATED,
    AssistanceEnded,
    "Elders among the members no longer hold the programme from its date.",
)
define_consumed(
    CONSUMER,
    FUNERAL_DEATH_REGISTERED,
    DeathRegistered,
    "The elder is recorded deceased, their bed is released (reason deceased), allowances stop next month.",
)
