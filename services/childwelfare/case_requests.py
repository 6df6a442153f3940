"""Taking protection-case requests apart: validate every field, name the bad ones, return plain values.

Each ``parse_*`` collects every violation and raises one INVALID_ARGUMENT before anything is read or
written. Checks that need the stored case (is this step allowed from its state?) are in ``cases``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from minzheng.childwelfare.v1 import protection_pb2 as pb

from services.childwelfare import case_mapping as m
from services.childwelfare import case_rules, rules
from services.childwelfare.case_rules import CaseState, Placement, Step
from services.childwelfare.cases import NewReport
from services.childwelfare.requests import scope_of
from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector
from services.kit.idcard import InvalidIdNumber, parse_id_number


@dataclass(frozen=True)
class CaseQuery:
    """A validated case listing: scopes, filters and page."""

    scopes: tuple[str, ...]
    state: CaseState | None
    overdue_only: bool
    after: tuple[datetime, str] | None
    limit: int


@dataclass(frozen=True)
class NewConference:
    """A validated case conference."""

    case_id: str
    held_on: date
    participants: list[str]
    decisions: str


def _required_id(errors: Collector, field: str, raw: str) -> str:
    errors.check(bool(raw.strip()), field, "is required")
    return raw.strip()


def parse_report(request: pb.ReportConcernRequest, *, now: datetime) -> NewReport:
    """A report about a registered child (child_id) or about a named child in a village."""
    errors = Collector()
    today = rules.china_today(now)
    child_id = request.child_id.strip() or None
    id_number = None
    if child_id is not None:
        for field in ("child_name", "id_number"):
            errors.check(not getattr(request, field).strip(), field, "leave empty when child_id is given")
    else:
        rules.check_text(
            errors, "child_name", request.child_name, max_length=rules.MAX_NAME_LENGTH, required=True
        )
        if request.id_number.strip():
            try:
                id_number = parse_id_number(request.id_number, today=today)
            except InvalidIdNumber as exc:
                errors.add("id_number", exc.reason)  # the reason never contains the number itself
        if id_number is not None and not rules.is_minor(id_number.birth_date, today):
            errors.add("id_number", "belongs to someone aged 18 or over; protection cases are for minors")
    region = None
    if request.region_code.strip() or child_id is None:
        region = protoconv.region_code(errors, "region_code", request.region_code, levels=("village",))
    source = m.enum_field(errors, "source", request.source, m.SOURCE_FROM_PB, required=True)
    concern = m.enum_field(errors, "concern", request.concern, m.CONCERN_FROM_PB, required=True)
    case_rules.check_text(
        errors,
        "description",
        request.description,
        max_length=case_rules.MAX_DESCRIPTION_LENGTH,
        required=True,
    )
    case_rules.check_text(
        errors, "informant", request.informant, max_length=case_rules.MAX_INFORMANT_LENGTH, required=False
    )
    reported_at = now
    if request.HasField("reported_at"):
        reported_at = protoconv.as_utc(request.reported_at.ToDatetime())
        errors.check(reported_at <= now, "reported_at", "must not be in the future")
        late = timedelta(days=case_rules.MAX_LATE_ENTRY_DAYS)
        errors.check(
            reported_at >= now - late, "reported_at", f"must be within {case_rules.MAX_LATE_ENTRY_DAYS} days"
        )
    errors.raise_if_any()
    assert source is not None and concern is not None
    return NewReport(
        child_id=child_id,
        child_name=request.child_name.strip(),
        id_number=id_number,
        region_code=region or None,
        source=source,
        concern=concern,
        description=request.description.strip(),
        informant=request.informant.strip(),
        reported_at=reported_at,
    )


def _placement(errors: Collector, given: pb.Placement) -> Placement | None:
    kind = m.enum_field(errors, "placement.kind", given.kind, m.PLACEMENT_FROM_PB, required=True)
    rules.check_text(
        errors, "placement.name", given.name, max_length=case_rules.MAX_PLACEMENT_NAME_LENGTH, required=True
    )
    rules.check_text(
        errors, "placement.contact", given.contact, max_length=rules.MAX_CONTACT_LENGTH, required=False
    )
    start = rules.parse_day(errors, "placement.start_on", given.start_on)
    if kind is None or start is None:
        return None
    return Placement(kind, given.name.strip(), given.contact.strip(), start)


def parse_advance(request: pb.AdvanceCaseRequest, *, today: date) -> tuple[str, Step]:
    """The case and the step: a known state, a note, and the details that state needs (and no others)."""
    errors = Collector()
    case_id = _required_id(errors, "case_id", request.case_id)
    to_state = m.enum_field(errors, "to_state", request.to_state, m.STATE_FROM_PB, required=True)
    errors.check(to_state is not CaseState.REPORTED, "to_state", "a case cannot go back to reported")
    intervention = m.enum_field(
        errors, "intervention", request.intervention, m.INTERVENTION_FROM_PB, required=False
    )
    close_reason = m.enum_field(errors, "close_reason", request.close_reason, m.CLOSE_FROM_PB, required=False)
    placement = _placement(errors, request.placement) if request.HasField("placement") else None
    if to_state is not None:
        step = Step(to_state, request.note.strip(), intervention, placement, close_reason)
        case_rules.check_step_fields(errors, step, today=today, placement_given=request.HasField("placement"))
    errors.raise_if_any()
    assert to_state is not None
    return case_id, Step(to_state, request.note.strip(), intervention, placement, close_reason)


def parse_conference(request: pb.RecordConferenceRequest, *, today: date) -> NewConference:
    """A conference held on a day not in the future, with named participants and its decisions."""
    errors = Collector()
    case_id = _required_id(errors, "case_id", request.case_id)
    held_on = rules.parse_day(errors, "held_on", request.held_on)
    rules.check_not_future(errors, "held_on", held_on, today)
    participants = [p.strip() for p in request.participants]
    case_rules.check_participants(errors, "participants", participants)
    case_rules.check_text(
        errors, "decisions", request.decisions, max_length=case_rules.MAX_DECISIONS_LENGTH, required=True
    )
    errors.raise_if_any()
    assert held_on is not None
    return NewConference(case_id, held_on, participants, request.decisions.strip())


def parse_get(request: pb.GetCaseRequest) -> str:
    """The case id."""
    errors = Collector()
    case_id = _required_id(errors, "id", request.id)
    errors.raise_if_any()
    return case_id


def parse_list(principal: Principal, request: pb.ListCasesRequest) -> CaseQuery:
    """Scopes, filters and the page of a case listing."""
    errors = Collector()
    state = m.enum_field(errors, "state", request.state, m.STATE_FROM_PB, required=False)
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    token = paging.decode_page_token(errors, "page.page_token", request.page.page_token, size=2)
    after = None
    if token is not None:
        try:
            after = (protoconv.as_utc(datetime.fromisoformat(token[0])), token[1])
        except ValueError:
            errors.add("page.page_token", "is not a page token this service issued")
    scopes = scope_of(principal, errors, request.region_code)
    return CaseQuery(scopes, state, request.response_overdue, after, limit)
