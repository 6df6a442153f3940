"""Between the proto messages and child welfare's models and enums; page tokens; input parsing helpers."""

from __future__ import annotations

from datetime import date

from minzheng.childwelfare.v1 import childwelfare_pb2 as pb

from services.childwelfare.files import ChildFile
from services.childwelfare.models import AllowancePayment, AllowanceRun, NetworkMember, Visit
from services.childwelfare.rules import GuardianRelation, NetworkRole, ProtectionCategory, RiskLevel, Tally
from services.kit.errors import Collector
from services.kit.idcard import mask_id_number
from services.kit.money import Money
from services.kit.payments import PaymentRunSummary
from services.kit.protoconv import timestamp

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
        # The birth date is the masked middle of the ID number: it goes with the clear number only.
        birth_date=day(c.birth_date) if reveal_id else "",
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


def check_category(errors: Collector, field: str, value: int, *, required: bool) -> ProtectionCategory | None:
    """A known protection category (UNSPECIFIED only when not required)."""
    category = CATEGORY_FROM_PB.get(value)
    if category is None and (required or value != pb.PROTECTION_CATEGORY_UNSPECIFIED):
        errors.add(field, "unknown protection category" if value else "is required")
    return category


def run_to_pb(run: AllowanceRun, summary: PaymentRunSummary | None = None) -> pb.AllowanceRun:
    """The wire form of an allowance run; per-category figures when the run's ``summary`` is at hand."""
    reply = pb.AllowanceRun(
        id=run.id,
        period=run.period,
        sequence=run.sequence,
        started_at=timestamp(run.started_at),
        finished_at=timestamp(run.finished_at),
        paid_count=run.paid_count,
        paid_fen=run.total_fen,
        paid_yuan=Money(run.total_fen).text,
        skipped_count=run.skipped_count,
        reported_count=run.reported_count,
        # The run staged its summary exactly when it completed with something to report.
        event_published=run.finished_at is not None and run.reported_count > 0,
    )
    if summary is not None:
        for category, total in sorted(summary.paid.items()):
            reply.paid_by_category.append(
                pb.CategoryAllowanceTotal(
                    category=CATEGORY_TO_PB[ProtectionCategory(category)],
                    children=total.persons,
                    amount_fen=total.total_fen,
                    amount_yuan=total.total.text,
                )
            )
        for category, n in sorted(summary.skipped.items()):
            reply.skipped_by_category.append(
                pb.CategorySkippedCount(category=CATEGORY_TO_PB[ProtectionCategory(category)], children=n)
            )
    return reply


def payment_to_pb(payment: AllowancePayment) -> pb.AllowancePayment:
    """The wire form of one month's allowance to one child, with the standard it used."""
    return pb.AllowancePayment(
        id=str(payment.id),
        child_id=payment.child_id,
        region_code=payment.region_code,
        period=payment.period,
        category=CATEGORY_TO_PB[ProtectionCategory(payment.category)],
        amount_fen=payment.amount_fen,
        amount_yuan=Money(payment.amount_fen).text,
        standard_key=payment.policy_key,
        standard_effective_from=day(payment.policy_effective_from),
        run_id=payment.run_id,
        paid_at=timestamp(payment.paid_at),
    )
