"""Taking households gRPC requests apart: validate every field, name the bad ones, return plain values.

Each ``parse_*`` collects every violation and raises one INVALID_ARGUMENT (``Collector.raise_if_any``)
before anything is read or written. Permission checks that need the parsed values (is the region
inside the caller's scopes?) stay with the servicer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from minzheng.relief.v1 import households_pb2 as pb

from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector
from services.kit.idcard import InvalidIdNumber, parse_id_number
from services.relief import household_rules as hr
from services.relief.application_mapping import STATE_FROM_PB
from services.relief.application_rules import ApplicationState
from services.relief.discovery_mapping import STATUS_FROM_PB
from services.relief.discovery_rules import FlagStatus
from services.relief.finances import AssetIn, IncomeIn
from services.relief.household_batches import MAX_IDS as MAX_BATCH_IDS
from services.relief.household_mapping import (
    ASSET_FROM_PB,
    CAPACITY_FROM_PB,
    INCOME_FROM_PB,
    PROGRAMME_FROM_PB,
    RELATION_FROM_PB,
    REMOVE_REASONS_FROM_PB,
)
from services.relief.households import NewHousehold
from services.relief.memberships import Leaving, Moving
from services.relief.people import PersonIn

HOUSEHOLD_LEVELS = ("village",)
FILTER_LEVELS = ("district", "town", "village")


@dataclass(frozen=True)
class HouseholdQuery:
    """A validated households listing: scopes and the page."""

    scopes: tuple[str, ...]
    after: tuple[str, str] | None
    limit: int
    programme: str | None = None  # application_rules.Programme value: households holding an open grant
    flagged: bool = False  # only households with an open discovery flag


def _required(errors: Collector, field: str, value: str) -> str:
    errors.check(bool(value.strip()), field, "is required")
    return value.strip()


def _person(errors: Collector, field: str, given: pb.PersonInput, *, today: date) -> PersonIn | None:
    id_number = None
    try:
        id_number = parse_id_number(given.id_number, today=today)
    except InvalidIdNumber as exc:
        errors.add(f"{field}.id_number", exc.reason)  # the reason never contains the number itself
    hr.check_text(errors, f"{field}.name", given.name, max_length=hr.MAX_NAME_LENGTH, required=True)
    relation = RELATION_FROM_PB.get(given.relation)
    errors.check(
        relation is not None, f"{field}.relation", "is required" if not given.relation else "unknown"
    )
    grade = hr.check_disability(errors, f"{field}.disability_grade", given.disability_grade)
    capacity = CAPACITY_FROM_PB.get(given.labour_capacity)
    errors.check(
        capacity is not None,
        f"{field}.labour_capacity",
        "is required" if not given.labour_capacity else "unknown (full, partial or none)",
    )
    if id_number is None or relation is None or capacity is None:
        return None
    return PersonIn(id_number, given.name.strip(), relation, grade, capacity, given.employed)


def parse_register(request: pb.RegisterHouseholdRequest, *, today: date) -> NewHousehold:
    """A village, an address, one to 30 valid people of whom exactly one is the head, the start day."""
    errors = Collector()
    region = protoconv.region_code(errors, "region_code", request.region_code, levels=HOUSEHOLD_LEVELS)
    hr.check_text(errors, "address", request.address, max_length=hr.MAX_ADDRESS_LENGTH, required=False)
    errors.check(len(request.members) <= hr.MAX_MEMBERS, "members", f"at most {hr.MAX_MEMBERS} members")
    members = [_person(errors, f"members[{i}]", m, today=today) for i, m in enumerate(request.members)]
    relations = [RELATION_FROM_PB[m.relation] for m in request.members if m.relation in RELATION_FROM_PB]
    problem = hr.heads_problem(relations)
    if problem and len(relations) == len(request.members):
        errors.add("members", problem)
    numbers = [m.id_number.value for m in members if m is not None]
    errors.check(len(numbers) == len(set(numbers)), "members", "the same ID number is given twice")
    since = hr.parse_day(errors, "since", request.since, default=today)
    hr.check_not_future(errors, "since", since, today)
    for i, m in enumerate(members):
        if m is not None and since is not None and since < m.id_number.birth_date:
            errors.add("since", f"is before members[{i}] was born")
    errors.raise_if_any()
    assert since is not None
    valid = tuple(m for m in members if m is not None)
    return NewHousehold(region, request.address.strip(), valid, since)


def parse_get(request: pb.GetHouseholdRequest) -> tuple[str | None, str]:
    """The household's id, or else a current member's ID number (validated)."""
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


def parse_list(principal: Principal, request: pb.ListHouseholdsRequest) -> HouseholdQuery:
    """Scopes (the caller's, or one region inside them) and the page of a households listing."""
    errors = Collector()
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    after = paging.decode_page_token(errors, "page.page_token", request.page.page_token, size=2)
    if request.region_code.strip():
        protoconv.region_code(errors, "region_code", request.region_code, levels=FILTER_LEVELS)
    programme = None
    if request.programme:
        programme = PROGRAMME_FROM_PB.get(request.programme)
        errors.check(programme is not None, "programme", "must be tekun, dibao or dibian")
    errors.raise_if_any()
    scopes = principal.narrow(request.region_code.strip() or None)
    return HouseholdQuery(scopes, (after[0], after[1]) if after else None, limit, programme, request.flagged)


@dataclass(frozen=True)
class BatchQuery:
    """A validated batch read: the ids (once each, in order) and what to bring for each household."""

    ids: tuple[str, ...]
    with_file: bool
    with_grants: bool
    applications: tuple[ApplicationState | None, int] | None  # (state, page size) when asked for
    flags: tuple[FlagStatus | None, int] | None


def parse_batch(request: pb.BatchGetHouseholdsRequest) -> BatchQuery:
    """1..100 non-empty ids; a known state or status and a page size for applications and flags."""
    errors = Collector()
    ids = tuple(dict.fromkeys(i.strip() for i in request.ids))
    errors.check(bool(ids), "ids", "at least one household id is required")
    errors.check(all(ids), "ids", "must not contain an empty id")
    errors.check(len(ids) <= MAX_BATCH_IDS, "ids", f"at most {MAX_BATCH_IDS} households per call")
    applications = flags = None
    if request.HasField("applications"):
        state = None
        if request.applications.state:
            state = STATE_FROM_PB.get(request.applications.state)
            errors.check(state is not None, "applications.state", "unknown")
        size = paging.page_size(errors, "applications.page_size", request.applications.page_size)
        applications = (state, size)
    if request.HasField("flags"):
        status = None
        if request.flags.status:
            status = STATUS_FROM_PB.get(request.flags.status)
            errors.check(status is not None, "flags.status", "unknown")
        flags = (status, paging.page_size(errors, "flags.page_size", request.flags.page_size))
    errors.raise_if_any()
    return BatchQuery(ids, request.with_file, request.with_grants, applications, flags)


def parse_add(request: pb.AddMemberRequest, *, today: date) -> tuple[str, PersonIn, date]:
    """The household, the person joining and the day (not in the future)."""
    errors = Collector()
    household_id = _required(errors, "household_id", request.household_id)
    errors.check(request.HasField("person"), "person", "is required")
    person = _person(errors, "person", request.person, today=today)
    joined_on = hr.parse_day(errors, "joined_on", request.joined_on, default=today)
    hr.check_not_future(errors, "joined_on", joined_on, today)
    if person is not None and joined_on is not None and joined_on < person.id_number.birth_date:
        errors.add("joined_on", "is before the person was born")
    errors.raise_if_any()
    assert person is not None and joined_on is not None
    return household_id, person, joined_on


def parse_move(request: pb.MoveMemberRequest, *, today: date) -> Moving:
    """Who moves where, as what, on which day, and who heads the old household if they did."""
    errors = Collector()
    person_id = _required(errors, "person_id", request.person_id)
    to = _required(errors, "to_household_id", request.to_household_id)
    relation = RELATION_FROM_PB.get(request.relation)
    errors.check(relation is not None, "relation", "is required" if not request.relation else "unknown")
    on = hr.parse_day(errors, "moved_on", request.moved_on, default=today)
    hr.check_not_future(errors, "moved_on", on, today)
    errors.raise_if_any()
    assert relation is not None and on is not None
    return Moving(person_id, to, relation, on, request.new_head_person_id.strip() or None)


def parse_remove(request: pb.RemoveMemberRequest, *, today: date) -> Leaving:
    """Who leaves which household, why (left, died, other), on which day."""
    errors = Collector()
    household_id = _required(errors, "household_id", request.household_id)
    person_id = _required(errors, "person_id", request.person_id)
    reason = REMOVE_REASONS_FROM_PB.get(request.reason)
    errors.check(
        reason is not None,
        "reason",
        "is required" if not request.reason else "must be left, died or other (moving is MoveMember)",
    )
    on = hr.parse_day(errors, "left_on", request.left_on, default=today)
    hr.check_not_future(errors, "left_on", on, today)
    hr.check_text(errors, "note", request.note, max_length=hr.MAX_NOTE_LENGTH, required=False)
    errors.raise_if_any()
    assert reason is not None and on is not None
    new_head = request.new_head_person_id.strip() or None
    return Leaving(household_id, person_id, reason, on, request.note.strip(), new_head)


def parse_income(request: pb.RecordIncomeRequest, *, today: date) -> IncomeIn:
    """A kind, an amount in fen ≥ 0 and a period (start not in the future, end not before start)."""
    errors = Collector()
    household_id = _required(errors, "household_id", request.household_id)
    person_id = _required(errors, "person_id", request.person_id)
    kind = INCOME_FROM_PB.get(request.kind)
    errors.check(kind is not None, "kind", "is required" if not request.kind else "unknown")
    hr.check_fen(errors, "amount_fen", request.amount_fen)
    start = hr.parse_day(errors, "period_start", request.period_start)
    end = hr.parse_day(errors, "period_end", request.period_end)
    hr.check_not_future(errors, "period_start", start, today)
    if start is not None and end is not None:
        errors.check(end >= start, "period_end", f"{end} is before period_start {start}")
    hr.check_text(errors, "note", request.note, max_length=hr.MAX_NOTE_LENGTH, required=False)
    errors.raise_if_any()
    assert kind is not None and start is not None and end is not None
    return IncomeIn(household_id, person_id, kind, request.amount_fen, start, end, request.note.strip())


def parse_asset(request: pb.RecordAssetRequest, *, today: date) -> AssetIn:
    """A kind, a value in fen ≥ 0 and the day it was valued (not in the future)."""
    errors = Collector()
    household_id = _required(errors, "household_id", request.household_id)
    person_id = _required(errors, "person_id", request.person_id)
    kind = ASSET_FROM_PB.get(request.kind)
    errors.check(kind is not None, "kind", "is required" if not request.kind else "unknown")
    hr.check_fen(errors, "value_fen", request.value_fen)
    as_of = hr.parse_day(errors, "as_of", request.as_of, default=today)
    hr.check_not_future(errors, "as_of", as_of, today)
    hr.check_text(errors, "note", request.note, max_length=hr.MAX_NOTE_LENGTH, required=False)
    errors.raise_if_any()
    assert kind is not None and as_of is not None
    return AssetIn(household_id, person_id, kind, request.value_fen, as_of, request.note.strip())
