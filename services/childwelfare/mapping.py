"""Between the proto messages and child welfare's models and enums; page tokens; input parsing helpers."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, date, datetime

from google.protobuf.timestamp_pb2 import Timestamp
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from minzheng.common.v1 import common_pb2

from services.childwelfare.files import ChildFile
from services.childwelfare.models import NetworkMember, Visit
from services.childwelfare.rules import GuardianRelation, NetworkRole, ProtectionCategory, RiskLevel, Tally
from services.kit.errors import Collector
from services.kit.idcard import mask_id_number
from services.kit.regions import InvalidRegionCode, level_of

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

CATEGORY_TO_PB: dict[ProtectionCategory, pb.ProtectionCategory.ValueType] = {
    c: pb.ProtectionCategory.Value(f"PROTECTION_CATEGORY_{c.name}") for c in ProtectionCategory
}
CATEGORY_FROM_PB = {v: k for k, v in CATEGORY_TO_PB.items()}
RELATION_TO_PB: dict[GuardianRelation, pb.GuardianRelation.ValueType] = {
    r: pb.GuardianRelation.Value(f"GUARDIAN_RELATION_{r.name}") for r in GuardianRelation
}
RELATION_FROM_PB = {v: k for k, v in RELATION_TO_PB.items()}
RISK_TO_PB: dict[RiskLevel, pb.RiskLevel.ValueType] = {
    r: pb.RiskLevel.Value(f"RISK_LEVEL_{r.name}") for r in RiskLevel
}
RISK_FROM_PB = {v: k for k, v in RISK_TO_PB.items()}
ROLE_TO_PB: dict[NetworkRole, pb.NetworkRole.ValueType] = {
    r: pb.NetworkRole.Value(f"NETWORK_ROLE_{r.name}") for r in NetworkRole
}


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite hands back naive values, which were stored as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def timestamp(moment: datetime | None) -> Timestamp | None:
    """A protobuf Timestamp, or None to leave the field unset."""
    if moment is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(as_utc(moment))
    return ts


def day(value: date | None) -> str:
    """An ISO date, or '' for none."""
    return value.isoformat() if value is not None else ""


def member_to_pb(member: NetworkMember, *, child_count: int = 0) -> pb.NetworkMember:
    """The wire form of a supervisor's or director's tenure."""
    return pb.NetworkMember(
        id=member.id,
        role=ROLE_TO_PB[NetworkRole(member.role)],
        subject=member.subject,
        name=member.name,
        contact=member.contact,
        region_code=member.region_code,
        assigned_on=day(member.assigned_on),
        child_count=child_count,
    )


def child_to_pb(file: ChildFile, *, reveal_id: bool) -> pb.Child:
    """The wire form of a child's file; the ID number masked unless ``reveal_id``."""
    c, status = file.child, file.status
    return pb.Child(
        id=c.id,
        id_number=c.id_number if reveal_id else mask_id_number(c.id_number),
        name=c.name,
        sex=c.sex,
        birth_date=day(c.birth_date),
        age=status.age,
        adult=status.adult,
        region_code=c.region_code,
        category=CATEGORY_TO_PB[ProtectionCategory(c.category)],
        category_since=day(c.category_since),
        category_history=[
            pb.CategoryPeriod(
                category=CATEGORY_TO_PB[ProtectionCategory(p.category)],
                effective_from=day(p.effective_from),
                effective_to=day(p.effective_to),
                reason=p.reason,
            )
            for p in file.history
        ],
        guardians=[
            pb.Guardian(
                name=g.name,
                relation=RELATION_TO_PB[GuardianRelation(g.relation)],
                contact=g.contact,
                is_primary=g.is_primary,
            )
            for g in file.guardians
        ],
        director=member_to_pb(file.director) if file.director is not None else None,
        in_visit_programme=status.in_programme,
        last_visit_on=day(c.last_visit_on),
        visit_due_on=day(status.due_on),
        visit_overdue=status.overdue,
        registered_at=timestamp(c.registered_at),
    )


def visit_to_pb(visit: Visit) -> pb.Visit:
    """The wire form of a home visit."""
    return pb.Visit(
        id=visit.id,
        child_id=visit.child_id,
        region_code=visit.region_code,
        visited_on=day(visit.visited_on),
        visited_by=visit.visited_by,
        living_conditions=visit.living_conditions,
        schooling=visit.schooling,
        guardianship=visit.guardianship,
        risk_level=RISK_TO_PB[RiskLevel(visit.risk_level)],
        notes=visit.notes,
        recorded_at=timestamp(visit.recorded_at),
    )


def compliance_row(key: str, name: str, tally: Tally) -> pb.ComplianceRow:
    """One group's visit compliance."""
    row = pb.ComplianceRow(
        key=key,
        name=name,
        in_programme=tally.in_programme,
        up_to_date=tally.up_to_date,
        overdue=tally.overdue,
    )
    rate = tally.rate
    if rate is not None:
        row.rate = rate
    return row


def region_code(errors: Collector, field: str, raw: str, *, levels: tuple[str, ...]) -> str:
    """A well-formed region code of one of ``levels``; records a violation and returns '' otherwise."""
    try:
        level = level_of(raw)
    except InvalidRegionCode as exc:
        errors.add(field, str(exc))
        return ""
    if level not in levels:
        errors.add(field, f"must be a {' or '.join(levels)} code, not a {level} code")
        return ""
    return raw.strip()


def encode_page_token(*keys: str) -> str:
    """An opaque cursor: the keyset of the last row served."""
    raw = json.dumps(list(keys), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_token(errors: Collector, field: str, token: str, *, size: int) -> list[str] | None:
    """The keyset in a page token; None for the first page, a violation when it is not ours."""
    if not token:
        return None
    try:
        keys = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(keys, list) or len(keys) != size or not all(isinstance(k, str) for k in keys):
            raise ValueError(token)
        return keys
    except (ValueError, TypeError, binascii.Error):
        errors.add(field, "is not a page token this service issued")
        return None


def page_size(errors: Collector, field: str, requested: int) -> int:
    """0 means the default; above the maximum is capped (AIP-158); negative is refused."""
    if requested < 0:
        errors.add(field, "must not be negative")
        return DEFAULT_PAGE_SIZE
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def page_info(next_token: str, total: int) -> common_pb2.PageInfo:
    """Pagination facts for a list response."""
    return common_pb2.PageInfo(next_page_token=next_token, total_count=total)


def check_category(errors: Collector, field: str, value: int, *, required: bool) -> ProtectionCategory | None:
    """A known protection category (UNSPECIFIED only when not required)."""
    category = CATEGORY_FROM_PB.get(value)
    if category is None and (required or value != pb.PROTECTION_CATEGORY_UNSPECIFIED):
        errors.add(field, "unknown protection category" if value else "is required")
    return category
