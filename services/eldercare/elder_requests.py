"""Taking elders gRPC requests apart: validate every field, name the bad ones, return plain values.

Each ``parse_*`` collects every violation and raises one INVALID_ARGUMENT (``Collector.raise_if_any``)
before anything is read or written; what it returns is already checked. Permission checks that need
the parsed values (is the region inside the caller's scopes?) stay with the servicer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import elders_pb2 as pb

from services.eldercare import elder_rules as er
from services.eldercare.elder_assessments import AssessmentIn
from services.eldercare.elder_mapping import LEVEL_FROM_PB, LIVING_FROM_PB, RELATION_FROM_PB, RISK_FROM_PB
from services.eldercare.elder_visits import VisitIn
from services.eldercare.elders import ContactIn, Living, NewElder
from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector
from services.kit.idcard import InvalidIdNumber, parse_id_number

ELDER_LEVELS = ("town", "village")
FILTER_LEVELS = ("district", "town", "village")


@dataclass(frozen=True)
class ElderQuery:
    """A validated elders listing: scopes, filters and the page."""

    scopes: tuple[str, ...]
    vulnerable_only: bool
    overdue_only: bool
    after: tuple[str, str] | None
    limit: int


@dataclass(frozen=True)
class PageOf:
    """One elder's page: the elder, and where the page starts."""

    elder_id: str
    after: tuple[str, str] | None
    limit: int


def _contacts(errors: Collector, field: str, given: Sequence[pb.ElderContact]) -> tuple[ContactIn, ...]:
    errors.check(len(given) <= er.MAX_CONTACTS, field, f"at most {er.MAX_CONTACTS} contacts")
    parsed = []
    for i, c in enumerate(given):
        at = f"{field}[{i}]"
        er.check_text(errors, f"{at}.name", c.name, max_length=er.MAX_NAME_LENGTH, required=True)
        er.check_phone(errors, f"{at}.phone", c.phone, required=True)
        relation = RELATION_FROM_PB.get(c.relation)
        errors.check(relation is not None, f"{at}.relation", "is required" if not c.relation else "unknown")
        if relation is not None:
            parsed.append(ContactIn(c.name.strip(), relation, c.phone.strip()))
    return tuple(parsed)


def _living(
    errors: Collector,
    *,
    arrangement: int,
    widowed_childless: bool,
    left_behind: bool,
    special_family: bool,
    phone: str,
    address: str,
    contacts: Sequence[pb.ElderContact],
) -> Living | None:
    living = LIVING_FROM_PB.get(arrangement)  # type: ignore[call-overload]
    errors.check(
        living is not None,
        "living_arrangement",
        "is required" if not arrangement else "unknown (alone, empty_nest, with_family or in_institution)",
    )
    er.check_phone(errors, "phone", phone, required=False)
    er.check_text(errors, "address", address, max_length=er.MAX_ADDRESS_LENGTH, required=False)
    parsed = _contacts(errors, "contacts", contacts)
    if living is None:
        return None
    return Living(
        living_arrangement=living,
        widowed_childless=widowed_childless,
        left_behind=left_behind,
        special_family=special_family,
        phone=phone.strip() or None,
        address=address.strip() or None,
        contacts=parsed,
    )


def parse_register(request: pb.RegisterElderRequest, *, today: date) -> NewElder:
    """A valid ID number of someone 60 or over today, a name, a town or village, how they live."""
    errors = Collector()
    id_number = None
    try:
        id_number = parse_id_number(request.id_number, today=today)
    except InvalidIdNumber as exc:
        errors.add("id_number", exc.reason)  # the reason never contains the number itself
    if id_number is not None and not er.is_elder(id_number.birth_date, today):
        errors.add("id_number", f"belongs to someone under {er.ELDER_AGE} today; the registry is for elders")
    er.check_text(errors, "name", request.name, max_length=er.MAX_NAME_LENGTH, required=True)
    region = protoconv.region_code(errors, "region_code", request.region_code, levels=ELDER_LEVELS)
    living = _living(
        errors,
        arrangement=request.living_arrangement,
        widowed_childless=request.widowed_childless,
        left_behind=request.left_behind,
        special_family=request.special_family,
        phone=request.phone,
        address=request.address,
        contacts=request.contacts,
    )
    since = er.parse_day(errors, "situation_since", request.situation_since, default=today)
    er.check_not_future(errors, "situation_since", since, today)
    errors.raise_if_any()
    assert id_number is not None and living is not None and since is not None
    return NewElder(id_number, request.name.strip(), region, living, since)


def parse_get(request: pb.GetElderRequest) -> tuple[str | None, str]:
    """The elder's id, or else its ID number (validated)."""
    errors = Collector()
    errors.check(bool(request.id.strip() or request.id_number.strip()), "id", "give id or id_number")
    id_number = ""
    if request.id_number.strip() and not request.id.strip():
        try:
            id_number = parse_id_number(request.id_number).value
        except InvalidIdNumber as exc:
            errors.add("id_number", exc.reason)
    errors.raise_if_any()
    return request.id.strip() or None, id_number


def parse_update(request: pb.UpdateElderRequest) -> tuple[str, Living]:
    """The elder and the new living situation, phone, address and contacts."""
    errors = Collector()
    errors.check(bool(request.id.strip()), "id", "is required")
    living = _living(
        errors,
        arrangement=request.living_arrangement,
        widowed_childless=request.widowed_childless,
        left_behind=request.left_behind,
        special_family=request.special_family,
        phone=request.phone,
        address=request.address,
        contacts=request.contacts,
    )
    errors.raise_if_any()
    assert living is not None
    return request.id.strip(), living


def scope_of(principal: Principal, errors: Collector, raw: str) -> tuple[str, ...]:
    """The caller's scopes narrowed to an optional region filter (district, town or village)."""
    if raw.strip():
        protoconv.region_code(errors, "region_code", raw, levels=FILTER_LEVELS)
    errors.raise_if_any()
    return principal.narrow(raw.strip() or None)


def parse_list(principal: Principal, request: pb.ListEldersRequest) -> ElderQuery:
    """Scopes, filters and the page of an elders listing."""
    errors = Collector()
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    after = paging.decode_page_token(errors, "page.page_token", request.page.page_token, size=2)
    scopes = scope_of(principal, errors, request.region_code)
    return ElderQuery(
        scopes,
        request.vulnerable_only,
        request.visit_overdue_only,
        (after[0], after[1]) if after else None,
        limit,
    )


def parse_assessment(request: pb.RecordAssessmentRequest, *, today: date) -> AssessmentIn:
    """A known level on a day not in the future, by a named assessor."""
    errors = Collector()
    errors.check(bool(request.elder_id.strip()), "elder_id", "is required")
    level = LEVEL_FROM_PB.get(request.level)
    errors.check(
        level is not None,
        "level",
        "is required" if not request.level else "unknown (intact, mild, moderate, severe or complete)",
    )
    assessed_on = er.parse_day(errors, "assessed_on", request.assessed_on)
    er.check_not_future(errors, "assessed_on", assessed_on, today)
    er.check_text(errors, "assessor", request.assessor, max_length=er.MAX_NAME_LENGTH, required=True)
    er.check_text(errors, "organisation", request.organisation, max_length=er.MAX_TEXT_LENGTH, required=False)
    er.check_text(errors, "notes", request.notes, max_length=er.MAX_NOTES_LENGTH, required=False)
    errors.raise_if_any()
    assert level is not None and assessed_on is not None
    return AssessmentIn(
        elder_id=request.elder_id.strip(),
        level=level,
        assessed_on=assessed_on,
        assessor=request.assessor.strip(),
        organisation=request.organisation.strip(),
        notes=request.notes.strip(),
    )


def parse_visit(request: pb.RecordElderVisitRequest, *, today: date) -> VisitIn:
    """A visit on a day not in the future, by a named visitor of a town or village, with a risk level."""
    errors = Collector()
    errors.check(bool(request.elder_id.strip()), "elder_id", "is required")
    visited_on = er.parse_day(errors, "visited_on", request.visited_on)
    er.check_not_future(errors, "visited_on", visited_on, today)
    er.check_text(errors, "visitor.name", request.visitor.name, max_length=er.MAX_NAME_LENGTH, required=True)
    region = protoconv.region_code(
        errors, "visitor.region_code", request.visitor.region_code, levels=ELDER_LEVELS
    )
    er.check_text(errors, "findings", request.findings, max_length=er.MAX_NOTES_LENGTH, required=False)
    er.check_text(errors, "notes", request.notes, max_length=er.MAX_NOTES_LENGTH, required=False)
    risk = RISK_FROM_PB.get(request.risk_level)
    errors.check(risk is not None, "risk_level", "is required" if not request.risk_level else "unknown")
    errors.raise_if_any()
    assert visited_on is not None and risk is not None
    return VisitIn(
        elder_id=request.elder_id.strip(),
        visited_on=visited_on,
        visitor_name=request.visitor.name.strip(),
        visitor_region_code=region,
        findings=request.findings.strip(),
        risk_level=risk,
        notes=request.notes.strip(),
    )


def parse_page_of(elder_id: str, page: common_pb2.PageRequest, *, dated: bool) -> PageOf:
    """One elder's page: a keyset token (visits) or a position token (assessments)."""
    errors = Collector()
    errors.check(bool(elder_id.strip()), "elder_id", "is required")
    limit = paging.page_size(errors, "page.page_size", page.page_size)
    token = paging.decode_page_token(errors, "page.page_token", page.page_token, size=2)
    after = None
    if token is not None:
        try:
            date.fromisoformat(token[0]) if dated else int(token[0])
            after = (token[0], token[1])
        except ValueError:
            errors.add("page.page_token", "is not a page token this service issued")
    errors.raise_if_any()
    return PageOf(elder_id.strip(), after, limit)
