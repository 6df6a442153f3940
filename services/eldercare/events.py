"""Events eldercare publishes (declared once; proto/asyncapi.yaml is generated from these).

Payloads never carry a resident ID number in clear (DESIGN §3): consumers get the masked number and
the elder's age, enough for the cockpit and fee offsets without spreading personal data.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.eldercare.rules import BedType
from services.kit.event_catalog import define_event

SERVICE = "eldercare"
MASKED_ID_PATTERN = r"^[0-9]{6}\*{8}[0-9]{3}[0-9X]$"


class BedEvent(BaseModel):
    """Fields every bed event carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    assignment_id: str = Field(description="The stay this event belongs to; assign and release share it.")
    bed_id: str
    bed_label: str = Field(description='e.g. "NUR-012"')
    bed_type: BedType
    institution_id: str
    institution_name: str
    region_code: str = Field(description="Region code of the institution (town 9 or village 12 digits).")
    # The pattern refuses a clear number outright, so a slip in the service cannot publish one.
    elder_id_masked: str = Field(
        pattern=MASKED_ID_PATTERN,
        description="Resident ID number with the middle hidden: 330109********123X.",
    )
    elder_age: int | None = Field(default=None, description="Age in full years on the day of the event.")
    at: datetime = Field(description="When it happened (UTC).")


class BedAssigned(BedEvent):
    """An elder took a bed."""


class BedReleased(BedEvent):
    """An elder left a bed."""

    reason: str = Field(default="", description='Why, e.g. "moved home", "transferred", "deceased".')


BED_ASSIGNED = define_event(
    SERVICE, "bed-assigned", BedAssigned, "An elder took a bed in an institution or a family-care bed."
)
BED_RELEASED = define_event(SERVICE, "bed-released", BedReleased, "An elder left a bed; the bed is vacant.")
