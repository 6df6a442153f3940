"""The events child welfare consumes, as the contract their publishers (relief, funeral) must keep.

Relief and funeral do not exist yet; these models are what child welfare EXPECTS on
``civic.relief.assistance-granted`` / ``-suspended`` / ``-terminated`` and
``civic.funeral.death-registered``. When those services are written, their ``events.py`` should
publish payloads these models accept (extra fields are ignored: a consumer reads only what it needs).

People without clear ID numbers (DESIGN §3). Matching a household member or a deceased person to a
registered child needs the resident ID number, which may not travel in clear. Every person in these
payloads is therefore referred to by ``id_digest``: HMAC-SHA256 of the normalised 18-character number
(upper-case ``X``) under a platform key, ``MINZHENG_ID_DIGEST_KEY``, shared by the services that match
people (not the JWT secret: a leaked token key must not also unmask people, and either can be rotated
alone). A plain SHA-256 would not do: the space of valid ID numbers is small enough to enumerate
(kit.visits says the same), so only the key holders can compute or test a digest.
The digest itself is ``services.kit.iddigest`` (relief and funeral compute the same one).

Matching is indexed: ``child_identity_digest`` holds each child's digest under the current key
(``key_id`` is a fingerprint of the key, so a rotated key re-computes rather than mismatches), written
with each registration and completed by the digest job at start (``digests``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from services.kit.event_catalog import define_consumed

# Re-exported: the contract's digest is the kit's (tests and publishers import it from here or kit).
from services.kit.iddigest import DEV_ID_DIGEST_KEY as DEV_ID_DIGEST_KEY
from services.kit.iddigest import digest_key
from services.kit.iddigest import id_number_digest as id_number_digest
from services.kit.iddigest import key_id as key_id
from services.kit.inbound import ContractViolation as ContractViolation
from services.kit.inbound import InboundModel as _Inbound
from services.kit.inbound import parse as parse
from services.kit.settings import Settings

RELIEF_ASSISTANCE_GRANTED = "civic.relief.assistance-granted"
RELIEF_ASSISTANCE_SUSPENDED = "civic.relief.assistance-suspended"
RELIEF_ASSISTANCE_TERMINATED = "civic.relief.assistance-terminated"
FUNERAL_DEATH_REGISTERED = "civic.funeral.death-registered"

DIGEST_PATTERN = r"^[0-9a-f]{64}$"
VILLAGE_PATTERN = r"^[0-9]{12}$"
Programme = Literal["dibao", "dibian", "tekun"]


def id_digest_key(settings: Settings) -> bytes:
    """The platform's ID digest key, ``MINZHENG_ID_DIGEST_KEY`` (refused in production when unset)."""
    return digest_key(settings)


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
    members: list[PersonRef] = Field(description="Every member of the household, adults included.")


class AssistanceEnded(_Inbound):
    """civic.relief.assistance-suspended / -terminated: the household's programme stopped from a date."""

    household_id: str = Field(min_length=1, max_length=100)
    region_code: str = Field(pattern=VILLAGE_PATTERN)
    programme: Programme
    effective_from: date = Field(description="The first day without the assistance.")
    reason: str = Field(default="", max_length=200, description="Why, in words (death, income change…).")
    members: list[PersonRef]


class DeathRegistered(_Inbound):
    """civic.funeral.death-registered: a death was registered (身后一件事 starts).

    ``dependants`` are the deceased's minor children and wards as far as the funeral service knows them
    (household register, the informant's statement). Guardians in child welfare carry no ID numbers, so
    this list — not the deceased's own digest — is how a child who lost a guardian is found.
    """

    death_id: str = Field(min_length=1, max_length=100, description="The funeral service's record id.")
    region_code: str = Field(pattern=VILLAGE_PATTERN, description="The deceased's village of residence.")
    deceased: PersonRef
    date_of_death: date
    registered_at: datetime | None = None
    dependants: list[PersonRef] = Field(default_factory=list)


# The catalogue (proto/asyncapi.yaml) lists these as child welfare's receive operations; a test fails
# when relief or funeral, once written, publishes a payload without a field required here.
CONSUMER = "childwelfare"
define_consumed(
    CONSUMER,
    RELIEF_ASSISTANCE_GRANTED,
    AssistanceGranted,
    "Children of the household are proposed for the matching category (a worklist, not a silent change).",
)
define_consumed(
    CONSUMER,
    RELIEF_ASSISTANCE_SUSPENDED,
    AssistanceEnded,
    "Children whose category rests on the programme are proposed for re-assessment.",
)
define_consumed(
    CONSUMER,
    RELIEF_ASSISTANCE_TERMINATED,
    AssistanceEnded,
    "Children whose category rests on the programme are proposed for re-assessment.",
)
define_consumed(
    CONSUMER,
    FUNERAL_DEATH_REGISTERED,
    DeathRegistered,
    "A registered child among the dependants is proposed for re-assessment of category and guardianship.",
)
