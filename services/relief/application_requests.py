"""Taking applications gRPC requests apart: validate every field, name the bad ones, return plain values.

Each ``parse_*`` collects every violation and raises one INVALID_ARGUMENT before anything is read or
written. Checks that need stored data (the state, who reviewed, the grant's start) stay with the work
modules and are FAILED_PRECONDITION.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from minzheng.relief.v1 import applications_pb2 as pb

from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector
from services.kit.fields import check_not_future, check_text, parse_day
from services.relief import application_rules as rules
from services.relief.application_mapping import STATE_FROM_PB
from services.relief.application_rules import Action, ApplicationState, CreditCommitment, GrantStatus
from services.relief.applications import NewApplication, Step
from services.relief.grants import Ending
from services.relief.rechecks import Recheck, RecheckOutcome

OUTCOME_FROM_PB: dict[pb.RecheckOutcome.ValueType, RecheckOutcome] = {
    pb.RECHECK_OUTCOME_CONTINUE: RecheckOutcome.CONTINUE,
    pb.RECHECK_OUTCOME_SUSPEND: RecheckOutcome.SUSPEND,
    pb.RECHECK_OUTCOME_TERMINATE: RecheckOutcome.TERMINATE,
}

FILTER_LEVELS = ("district", "town", "village")


@dataclass(frozen=True)
class ApplicationQuery:
    """A validated applications listing: scopes, state, the page."""

    scopes: tuple[str, ...]
    state: ApplicationState | None
    after: tuple[datetime, str] | None
    limit: int
    household_id: str | None = None  # one household's applications only


@dataclass(frozen=True)
class WorklistQuery:
    """A validated re-check worklist listing: scopes and the page."""

    scopes: tuple[str, ...]
    after: tuple[str, str] | None
    limit: int


def _id(errors: Collector, field: str, value: str) -> str:
    errors.check(bool(value.strip()), field, "is required")
    return value.strip()


def parse_submit(
    request: pb.SubmitApplicationRequest, *, today: date, catalogue: dict[str, rules.ReliefItem]
) -> NewApplication:
    """A household, known items (at most one programme), the signed credit commitment, a note."""
    errors = Collector()
    household_id = _id(errors, "household_id", request.household_id)
    items = [code.strip() for code in request.items]
    rules.check_items(errors, "items", items, catalogue)
    check_text(errors, "note", request.note, max_length=rules.MAX_TEXT_LENGTH, required=False)
    commitment = None
    if not request.HasField("commitment"):
        errors.add("commitment", "a signed credit commitment (守信承诺) is required to apply")
    else:
        signed_on = parse_day(errors, "commitment.signed_on", request.commitment.signed_on)
        if signed_on is not None:
            commitment = CreditCommitment(request.commitment.signed_by.strip(), signed_on)
            rules.check_commitment(errors, "commitment", commitment, today=today)
        else:
            check_text(
                errors,
                "commitment.signed_by",
                request.commitment.signed_by,
                max_length=rules.MAX_SIGNER_LENGTH,
                required=True,
            )
    errors.raise_if_any()
    assert commitment is not None
    return NewApplication(household_id, tuple(items), commitment, request.note.strip())


def parse_step(application_id: str, action: Action, text: str) -> Step:
    """The application and the note, or the reason the action requires."""
    errors = Collector()
    clean = _id(errors, "id", application_id)
    field = "reason" if rules.needs_reason(action) else "note"
    check_text(errors, field, text, max_length=rules.MAX_TEXT_LENGTH, required=rules.needs_reason(action))
    errors.raise_if_any()
    return Step(clean, action, text.strip())


def parse_get(request: pb.GetApplicationRequest) -> str:
    """The application id."""
    errors = Collector()
    found = _id(errors, "id", request.id)
    errors.raise_if_any()
    return found


def _region(errors: Collector, region_code: str) -> str | None:
    if region_code.strip():
        protoconv.region_code(errors, "region_code", region_code, levels=FILTER_LEVELS)
    return region_code.strip() or None


def parse_list(principal: Principal, request: pb.ListApplicationsRequest) -> ApplicationQuery:
    """Scopes (the caller's, or one region inside them), an optional state, the page."""
    errors = Collector()
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    token = paging.decode_page_token(errors, "page.page_token", request.page.page_token, size=2)
    after = None
    if token is not None:
        try:
            after = (protoconv.as_utc(datetime.fromisoformat(token[0])), token[1])
        except ValueError:
            errors.add("page.page_token", "is not a page token this service issued")
    state = None
    if request.state:
        state = STATE_FROM_PB.get(request.state)
        errors.check(state is not None, "state", "unknown")
    region = _region(errors, request.region_code)
    errors.raise_if_any()
    household = request.household_id.strip() or None
    return ApplicationQuery(principal.narrow(region), state, after, limit, household)


def parse_end(grant_id: str, reason: str, effective_from: str, *, status: GrantStatus) -> Ending:
    """The grant, why, and the first day without the assistance (default: today)."""
    errors = Collector()
    clean = _id(errors, "id", grant_id)
    check_text(errors, "reason", reason, max_length=rules.MAX_TEXT_LENGTH, required=True)
    day = parse_day(errors, "effective_from", effective_from, default=date.min)
    errors.raise_if_any()
    return Ending(clean, status, None if day == date.min else day, reason.strip())


def parse_worklist(principal: Principal, request: pb.ListRecheckWorklistRequest) -> WorklistQuery:
    """Scopes and the page of the re-check worklist."""
    errors = Collector()
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    token = paging.decode_page_token(errors, "page.page_token", request.page.page_token, size=2)
    if token is not None:
        try:
            date.fromisoformat(token[0])
        except ValueError:
            errors.add("page.page_token", "is not a page token this service issued")
    region = _region(errors, request.region_code)
    errors.raise_if_any()
    return WorklistQuery(principal.narrow(region), (token[0], token[1]) if token else None, limit)


def parse_recheck(request: pb.RecordRecheckRequest, *, today: date) -> Recheck:
    """The grant, the outcome, the day (default today, not in the future) and the note (a reason to end)."""
    errors = Collector()
    clean = _id(errors, "id", request.id)
    outcome = OUTCOME_FROM_PB.get(request.outcome)
    errors.check(
        outcome is not None,
        "outcome",
        "is required" if not request.outcome else "unknown (continue, suspend or terminate)",
    )
    ends = outcome is not None and outcome is not RecheckOutcome.CONTINUE
    check_text(errors, "note", request.note, max_length=rules.MAX_TEXT_LENGTH, required=ends)
    day = parse_day(errors, "checked_on", request.checked_on, default=date.min)
    if day is not None and day != date.min:
        check_not_future(errors, "checked_on", day, today)
    errors.raise_if_any()
    assert outcome is not None
    return Recheck(clean, outcome, None if day == date.min else day, request.note.strip())


def parse_grants(request: pb.ListGrantsRequest) -> str:
    """The household whose grants are listed."""
    errors = Collector()
    found = _id(errors, "household_id", request.household_id)
    errors.raise_if_any()
    return found
