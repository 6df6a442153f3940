"""Taking facilities requests apart: validate every field, name the bad ones, return plain values.

Each ``parse_*`` collects every violation and raises one INVALID_ARGUMENT before anything is read or
written. The Civil Code age rules run here when the child is given by ID number; for a registered child
(``child_id``) the service runs the same rules once it has loaded the file, still before writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from minzheng.childwelfare.v1 import facilities_pb2 as pb
from minzheng.common.v1 import common_pb2

from services.childwelfare import facility_mapping as fm
from services.childwelfare import facility_rules as fr
from services.childwelfare import rules
from services.childwelfare.requests import scope_of
from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector
from services.kit.idcard import IdNumber, InvalidIdNumber, parse_id_number


@dataclass(frozen=True)
class AdopterIn:
    """A validated adopter."""

    name: str
    id_number: IdNumber
    relation: fr.AdopterRelation

    def facts(self) -> fr.AdopterFacts:
        """What the age rules need."""
        return fr.AdopterFacts(self.id_number.birth_date, self.id_number.sex, self.relation)


@dataclass(frozen=True)
class NewAdoption:
    """A validated application: a registered child's id, or the child's ID number, name and region."""

    child_id: str | None
    child_number: IdNumber | None
    child_name: str
    region_code: str
    applied_on: date
    adopters: list[AdopterIn]


@dataclass(frozen=True)
class Completion:
    """A validated end of an adoption."""

    adoption_id: str
    outcome: fr.CompletionOutcome
    decided_on: date
    certificate_number: str
    reason: str


@dataclass(frozen=True)
class Listing:
    """Scopes, an optional filter value and the page of a listing."""

    scopes: tuple[str, ...]
    after: tuple[str, str] | None
    limit: int


def _id_number(errors: Collector, field: str, raw: str, today: date) -> IdNumber | None:
    if not raw.strip():
        errors.add(field, "is required")
        return None
    try:
        return parse_id_number(raw, today=today)
    except InvalidIdNumber as exc:
        errors.add(field, exc.reason)  # the reason never contains the number itself
        return None


def _required(errors: Collector, field: str, value: str) -> None:
    errors.check(bool(value.strip()), field, "is required")


def _day(errors: Collector, field: str, raw: str, today: date) -> date | None:
    value = rules.parse_day(errors, field, raw, default=today)
    rules.check_not_future(errors, field, value, today)
    return value


def _listing(principal: Principal, errors: Collector, region: str, page: common_pb2.PageRequest) -> Listing:
    limit = paging.page_size(errors, "page.page_size", page.page_size)
    after = paging.decode_page_token(errors, "page.page_token", page.page_token, size=2)
    scopes = scope_of(principal, errors, region)
    return Listing(scopes, (after[0], after[1]) if after else None, limit)


def parse_register_adoption(request: pb.RegisterAdoptionRequest, *, today: date) -> NewAdoption:
    """An application: the child, one or two adopters with valid ID numbers, and the Civil Code ages."""
    errors = Collector()
    child_id = request.child_id.strip()
    child_number = None
    if child_id:
        errors.check(
            not request.child_id_number.strip(), "child_id_number", "give child_id or child_id_number"
        )
        errors.check(
            not request.region_code.strip(), "region_code", "comes from the child's file; leave it empty"
        )
        region = ""
    else:
        child_number = _id_number(errors, "child_id_number", request.child_id_number, today)
        rules.check_text(
            errors, "child_name", request.child_name, max_length=rules.MAX_NAME_LENGTH, required=True
        )
        region = protoconv.region_code(errors, "region_code", request.region_code, levels=("town", "village"))
    applied_on = _day(errors, "applied_on", request.applied_on, today)
    adopters: list[AdopterIn] = []
    for i, a in enumerate(request.adopters):
        at = f"adopters[{i}]"
        rules.check_text(errors, f"{at}.name", a.name, max_length=rules.MAX_NAME_LENGTH, required=True)
        number = _id_number(errors, f"{at}.id_number", a.id_number, today)
        relation = fm.RELATION_FROM_PB.get(a.relation)
        errors.check(relation is not None, f"{at}.relation", "is required" if not a.relation else "unknown")
        if number is not None and relation is not None:
            adopters.append(AdopterIn(a.name.strip(), number, relation))
    numbers = [a.id_number.value for a in adopters] + ([child_number.value] if child_number else [])
    errors.check(
        len(set(numbers)) == len(numbers), "adopters", "the child and the adopters must be different people"
    )
    count_ok = 1 <= len(request.adopters) <= fr.MAX_ADOPTERS
    errors.check(count_ok, "adopters", "give one adopter or a couple (two)")
    if count_ok and len(adopters) == len(request.adopters) and child_number and applied_on:
        child = fr.Person(child_number.birth_date, child_number.sex)
        fr.check_adoption(errors, child=child, adopters=[a.facts() for a in adopters], applied_on=applied_on)
    errors.raise_if_any()
    assert applied_on is not None
    return NewAdoption(
        child_id or None, child_number, request.child_name.strip(), region, applied_on, adopters
    )


def parse_assessment(
    request: pb.RecordAdoptionAssessmentRequest, *, today: date
) -> tuple[str, fr.AssessmentResult, date, str, str]:
    """The adoption, the result, the day, who assessed and notes."""
    errors = Collector()
    _required(errors, "adoption_id", request.adoption_id)
    result = fm.RESULT_FROM_PB.get(request.result)
    errors.check(result is not None, "result", "is required" if not request.result else "unknown")
    assessed_on = _day(errors, "assessed_on", request.assessed_on, today)
    rules.check_text(
        errors, "assessed_by", request.assessed_by, max_length=fr.MAX_ASSESSOR_LENGTH, required=True
    )
    rules.check_text(errors, "notes", request.notes, max_length=fr.MAX_NOTES_LENGTH, required=False)
    errors.raise_if_any()
    assert result is not None and assessed_on is not None
    return (
        request.adoption_id.strip(),
        result,
        assessed_on,
        request.assessed_by.strip(),
        request.notes.strip(),
    )


def parse_completion(request: pb.CompleteAdoptionRequest, *, today: date) -> Completion:
    """Register (with a certificate number), refuse (with a reason) or withdraw."""
    errors = Collector()
    _required(errors, "adoption_id", request.adoption_id)
    outcome = fm.OUTCOME_FROM_PB.get(request.outcome)
    errors.check(outcome is not None, "outcome", "is required" if not request.outcome else "unknown")
    decided_on = _day(errors, "decided_on", request.decided_on, today)
    certificate, reason = request.certificate_number.strip(), request.reason.strip()
    if outcome is fr.CompletionOutcome.REGISTER:
        rules.check_text(
            errors, "certificate_number", certificate, max_length=fr.MAX_CERTIFICATE_LENGTH, required=True
        )
    else:
        errors.check(not certificate, "certificate_number", "only a registration has a certificate")
    needs_reason = outcome is fr.CompletionOutcome.REFUSE
    rules.check_text(errors, "reason", reason, max_length=rules.MAX_REASON_LENGTH, required=needs_reason)
    errors.raise_if_any()
    assert outcome is not None and decided_on is not None
    return Completion(request.adoption_id.strip(), outcome, decided_on, certificate, reason)


def parse_list_adoptions(
    principal: Principal, request: pb.ListAdoptionsRequest
) -> tuple[Listing, fr.AdoptionStatus | None]:
    """Scopes, an optional status and the page."""
    errors = Collector()
    status = fm.STATUS_FROM_PB.get(request.status)
    errors.check(status is not None or request.status == pb.ADOPTION_STATUS_UNSPECIFIED, "status", "unknown")
    return _listing(principal, errors, request.region_code, request.page), status


def _level_and_tier(
    errors: Collector, level_raw: int, tier_raw: int
) -> tuple[fr.HomeLevel | None, fr.DemonstrationTier | None]:
    level = fm.LEVEL_FROM_PB.get(level_raw)  # type: ignore[call-overload]
    errors.check(level is not None, "level", "is required" if not level_raw else "unknown")
    tier = fm.TIER_FROM_PB.get(tier_raw)  # type: ignore[call-overload]
    if tier is None and tier_raw != pb.DEMONSTRATION_TIER_UNSPECIFIED:
        errors.add("tier", "unknown")
    if level is not None:
        fr.check_tier(errors, "tier", level, tier)
    return level, tier


def parse_open_home(
    request: pb.OpenChildrenHomeRequest, *, today: date
) -> tuple[str, str, fr.HomeLevel, fr.DemonstrationTier | None, date]:
    """A village, a name, a level (and tier) and the opening day."""
    errors = Collector()
    region = protoconv.region_code(errors, "region_code", request.region_code, levels=("village",))
    rules.check_text(errors, "name", request.name, max_length=fr.MAX_FACILITY_NAME_LENGTH, required=True)
    level, tier = _level_and_tier(errors, request.level, request.tier)
    opened_on = _day(errors, "opened_on", request.opened_on, today)
    errors.raise_if_any()
    assert level is not None and opened_on is not None
    return region, request.name.strip(), level, tier, opened_on


def parse_change_level(
    request: pb.ChangeChildrenHomeLevelRequest, *, today: date
) -> tuple[str, fr.HomeLevel, fr.DemonstrationTier | None, date, str]:
    """The home, its new level (and tier), from when and why."""
    errors = Collector()
    _required(errors, "home_id", request.home_id)
    level, tier = _level_and_tier(errors, request.level, request.tier)
    start = _day(errors, "effective_from", request.effective_from, today)
    rules.check_text(errors, "reason", request.reason, max_length=rules.MAX_REASON_LENGTH, required=False)
    errors.raise_if_any()
    assert level is not None and start is not None
    return request.home_id.strip(), level, tier, start, request.reason.strip()


def parse_close_home(request: pb.CloseChildrenHomeRequest, *, today: date) -> tuple[str, date, str]:
    """The home, the closing day and why."""
    errors = Collector()
    _required(errors, "home_id", request.home_id)
    closed_on = _day(errors, "closed_on", request.closed_on, today)
    rules.check_text(errors, "reason", request.reason, max_length=rules.MAX_REASON_LENGTH, required=False)
    errors.raise_if_any()
    assert closed_on is not None
    return request.home_id.strip(), closed_on, request.reason.strip()


def parse_list_homes(
    principal: Principal, request: pb.ListChildrenHomesRequest
) -> tuple[Listing, fr.HomeLevel | None]:
    """Scopes, an optional level and the page."""
    errors = Collector()
    level = fm.LEVEL_FROM_PB.get(request.level)
    errors.check(level is not None or request.level == pb.CHILDREN_HOME_LEVEL_UNSPECIFIED, "level", "unknown")
    return _listing(principal, errors, request.region_code, request.page), level


def parse_open_station(
    request: pb.OpenProtectionStationRequest, *, today: date
) -> tuple[str, str, date, int, str]:
    """A town, a name, the opening day, its staff and a contact."""
    errors = Collector()
    region = protoconv.region_code(errors, "region_code", request.region_code, levels=("town",))
    rules.check_text(errors, "name", request.name, max_length=fr.MAX_FACILITY_NAME_LENGTH, required=True)
    opened_on = _day(errors, "opened_on", request.opened_on, today)
    errors.check(
        0 <= request.staff_count <= fr.MAX_STAFF, "staff_count", f"must be between 0 and {fr.MAX_STAFF}"
    )
    rules.check_text(errors, "contact", request.contact, max_length=rules.MAX_CONTACT_LENGTH, required=False)
    errors.raise_if_any()
    assert opened_on is not None
    return region, request.name.strip(), opened_on, request.staff_count, request.contact.strip()
