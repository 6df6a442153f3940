"""Taking child-welfare gRPC requests apart: validate every field, name the bad ones, return plain values.

Each ``parse_*`` collects every violation and raises one INVALID_ARGUMENT (``Collector.raise_if_any``)
before anything is read or written; what it returns is already checked. Permission checks that need
the parsed values (is the region inside the caller's scopes?) stay with the servicer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from minzheng.childwelfare.v1 import childwelfare_pb2 as pb

from services.childwelfare import files, mapping, rules
from services.childwelfare.children import GuardianIn
from services.childwelfare.rules import ProtectionCategory
from services.childwelfare.visits import Findings
from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector
from services.kit.idcard import IdNumber, InvalidIdNumber, parse_id_number

FILTER_LEVELS = ("district", "town", "village")
# Children per batched call: more than a gateway page (100) ever asks for.
MAX_BATCH = 500
ComplianceGrouping = Literal["village", "town", "director"]


@dataclass(frozen=True)
class NewChild:
    """A validated registration."""

    id_number: IdNumber
    name: str
    region_code: str
    category: ProtectionCategory
    category_since: date
    guardians: list[GuardianIn]


@dataclass(frozen=True)
class CategoryChange:
    """A validated category change."""

    child_id: str
    category: ProtectionCategory
    effective_from: date
    reason: str


@dataclass(frozen=True)
class Assignment:
    """A validated supervisor or director assignment."""

    region_code: str
    subject: str
    name: str
    contact: str


@dataclass(frozen=True)
class NewVisit:
    """A validated home visit."""

    child_id: str
    visited_on: date
    findings: Findings


@dataclass(frozen=True)
class VisitQuery:
    """A validated visits listing: one child's page, or (``child_ids``) the first page of each."""

    child_id: str
    child_ids: list[str]
    after: tuple[date, str] | None
    limit: int


@dataclass(frozen=True)
class ChildQuery:
    """A validated children listing: scopes, filter and page."""

    scopes: tuple[str, ...]
    where: files.ChildFilter
    after: tuple[str, str] | None
    limit: int


def guardians(errors: Collector, field: str, given: Sequence[pb.Guardian]) -> list[GuardianIn]:
    """Guardians with a name, a known relation and a short contact."""
    rules.check_guardian_count(errors, field, len(given))
    parsed = []
    for i, g in enumerate(given):
        at = f"{field}[{i}]"
        rules.check_text(errors, f"{at}.name", g.name, max_length=rules.MAX_NAME_LENGTH, required=True)
        rules.check_text(
            errors, f"{at}.contact", g.contact, max_length=rules.MAX_CONTACT_LENGTH, required=False
        )
        relation = mapping.RELATION_FROM_PB.get(g.relation)
        errors.check(relation is not None, f"{at}.relation", "is required" if not g.relation else "unknown")
        if relation is not None:
            parsed.append(GuardianIn(g.name.strip(), relation, g.contact.strip(), g.is_primary))
    return parsed


def scope_of(principal: Principal, errors: Collector, raw: str) -> tuple[str, ...]:
    """The caller's scopes narrowed to an optional region filter (district, town or village)."""
    if raw:
        protoconv.region_code(errors, "region_code", raw, levels=FILTER_LEVELS)
    errors.raise_if_any()
    return principal.narrow(raw.strip() or None) or ()


def parse_register(request: pb.RegisterChildRequest, *, today: date) -> NewChild:
    """A registration: a valid minor's ID number, a name, a village, a category and its start."""
    errors = Collector()
    child_id = None
    try:
        child_id = parse_id_number(request.id_number, today=today)
    except InvalidIdNumber as exc:
        errors.add("id_number", exc.reason)  # the reason never contains the number itself
    if child_id is not None and not rules.is_minor(child_id.birth_date, today):
        errors.add("id_number", "belongs to someone aged 18 or over; the registry is for children")
    rules.check_text(errors, "name", request.name, max_length=rules.MAX_NAME_LENGTH, required=True)
    region = protoconv.region_code(errors, "region_code", request.region_code, levels=("village",))
    category = mapping.check_category(errors, "category", request.category, required=True)
    since = rules.parse_day(errors, "category_since", request.category_since, default=today)
    rules.check_not_future(errors, "category_since", since, today)
    if since is not None and child_id is not None and since < child_id.birth_date:
        errors.add("category_since", "must not be before the child was born")
    parsed_guardians = guardians(errors, "guardians", request.guardians)
    errors.raise_if_any()
    assert child_id is not None and category is not None and since is not None
    return NewChild(child_id, request.name.strip(), region, category, since, parsed_guardians)


def parse_get_child(request: pb.GetChildRequest) -> tuple[str | None, str]:
    """The child's id, or else its ID number (validated)."""
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


def parse_list_children(principal: Principal, request: pb.ListChildrenRequest) -> ChildQuery:
    """Scopes, filters and the page of a children listing."""
    errors = Collector()
    category = mapping.check_category(errors, "category", request.category, required=False)
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    after = paging.decode_page_token(errors, "page.page_token", request.page.page_token, size=2)
    scopes = scope_of(principal, errors, request.region_code)
    where = files.ChildFilter(
        category=category,
        visit_overdue=request.visit_overdue,
        without_director=request.without_director,
        director_subject=request.director_subject.strip(),
        include_adults=request.include_adults,
    )
    return ChildQuery(scopes, where, (after[0], after[1]) if after else None, limit)


def parse_change_category(request: pb.ChangeCategoryRequest, *, today: date) -> CategoryChange:
    """A move to another category from a day that is not in the future."""
    errors = Collector()
    errors.check(bool(request.child_id.strip()), "child_id", "is required")
    category = mapping.check_category(errors, "category", request.category, required=True)
    start = rules.parse_day(errors, "effective_from", request.effective_from, default=today)
    rules.check_not_future(errors, "effective_from", start, today)
    rules.check_text(errors, "reason", request.reason, max_length=rules.MAX_REASON_LENGTH, required=False)
    errors.raise_if_any()
    assert category is not None and start is not None
    return CategoryChange(request.child_id.strip(), category, start, request.reason.strip())


def parse_set_guardians(request: pb.SetGuardiansRequest) -> tuple[str, list[GuardianIn]]:
    """The child and its new guardians."""
    errors = Collector()
    errors.check(bool(request.child_id.strip()), "child_id", "is required")
    parsed = guardians(errors, "guardians", request.guardians)
    errors.raise_if_any()
    return request.child_id.strip(), parsed


def parse_assignment(request: pb.AssignDirectorRequest, *, level: str) -> Assignment:
    """A region of the given level and who takes it on."""
    errors = Collector()
    region = protoconv.region_code(errors, "region_code", request.region_code, levels=(level,))
    rules.check_text(errors, "subject", request.subject, max_length=rules.MAX_SUBJECT_LENGTH, required=True)
    rules.check_text(errors, "name", request.name, max_length=rules.MAX_NAME_LENGTH, required=True)
    rules.check_text(errors, "contact", request.contact, max_length=rules.MAX_CONTACT_LENGTH, required=False)
    errors.raise_if_any()
    return Assignment(region, request.subject.strip(), request.name.strip(), request.contact.strip())


def parse_visit(request: pb.RecordVisitRequest, *, today: date) -> NewVisit:
    """A visit on a day that is not in the future, with findings of bounded length and a risk level."""
    errors = Collector()
    errors.check(bool(request.child_id.strip()), "child_id", "is required")
    visited_on = rules.parse_day(errors, "visited_on", request.visited_on)
    rules.check_not_future(errors, "visited_on", visited_on, today)
    for field in ("living_conditions", "schooling", "guardianship", "notes"):
        rules.check_text(
            errors, field, getattr(request, field), max_length=rules.MAX_FINDING_LENGTH, required=False
        )
    risk = mapping.RISK_FROM_PB.get(request.risk_level)
    errors.check(risk is not None, "risk_level", "is required" if not request.risk_level else "unknown")
    errors.raise_if_any()
    assert visited_on is not None and risk is not None
    findings = Findings(
        living_conditions=request.living_conditions.strip(),
        schooling=request.schooling.strip(),
        guardianship=request.guardianship.strip(),
        risk_level=risk,
        notes=request.notes.strip(),
    )
    return NewVisit(request.child_id.strip(), visited_on, findings)


def parse_list_visits(request: pb.ListVisitsRequest) -> VisitQuery:
    """One child's page after a keyset (visited_on, id), or the first page of each of many children."""
    errors = Collector()
    page = request.page
    child_id, child_ids = child_or_children(errors, request.child_id, request.child_ids, page.page_token)
    limit = paging.page_size(errors, "page.page_size", page.page_size)
    token = paging.decode_page_token(errors, "page.page_token", page.page_token, size=2)
    after = None
    if token is not None:
        try:
            after = (date.fromisoformat(token[0]), token[1])
        except ValueError:
            errors.add("page.page_token", "is not a page token this service issued")
    errors.raise_if_any()
    return VisitQuery(child_id, child_ids, after, limit)


def child_or_children(
    errors: Collector, child_id: str, child_ids: Sequence[str], page_token: str
) -> tuple[str, list[str]]:
    """Exactly one of ``child_id`` and ``child_ids`` (at most ``MAX_BATCH``, first pages only)."""
    ids = [c.strip() for c in child_ids]
    if not child_id.strip() and not ids:
        errors.add("child_id", "is required (or give child_ids)")
    if child_id.strip() and ids:
        errors.add("child_ids", "give child_id or child_ids, not both")
    if len(ids) > MAX_BATCH:
        errors.add("child_ids", f"at most {MAX_BATCH} children per call")
    if any(not c for c in ids):
        errors.add("child_ids", "must not contain empty ids")
    if ids and page_token:
        errors.add("page.page_token", "is for one child's pages; with child_ids only first pages are served")
    return child_id.strip(), list(dict.fromkeys(ids))


def compliance_grouping(group_by: pb.ComplianceGrouping.ValueType) -> ComplianceGrouping:
    """How compliance rows are grouped (village when unspecified)."""
    if group_by == pb.COMPLIANCE_GROUPING_TOWN:
        return "town"
    if group_by == pb.COMPLIANCE_GROUPING_DIRECTOR:
        return "director"
    return "village"
