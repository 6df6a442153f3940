"""Old-age allowance (高龄津贴) runs and payments, and e-voucher (重阳分) ledgers, as GraphQL types.

Built from ElderAllowanceService replies as plain attributes. Money stays exact: fen as a decimal
string (a month of the district's payments overflows GraphQL's 32-bit Int) and yuan as text.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from minzheng.eldercare.v1 import allowances_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.schema.common import timestamp


@strawberry.enum(description="An allowance paid to elders without application (主动发放).")
class AllowanceProgramme(Enum):
    OLD_AGE = strawberry.enum_value(pb.ALLOWANCE_PROGRAMME_OLD_AGE, description="高龄津贴")
    VOUCHER = strawberry.enum_value(
        pb.ALLOWANCE_PROGRAMME_VOUCHER, description="养老服务电子津贴 (重阳分), credited to the ledger"
    )


@strawberry.enum(description="A line of an elder's e-voucher ledger.")
class VoucherEntryKind(Enum):
    CREDIT = strawberry.enum_value(pb.VOUCHER_ENTRY_KIND_CREDIT, description="A monthly credit from a run.")
    SPEND = strawberry.enum_value(pb.VOUCHER_ENTRY_KIND_SPEND, description="A bill offset in an institution.")


@strawberry.type(description="Elders paid and money in one programme tier or group.")
class ElderAllowanceTierTotal:
    programme: AllowanceProgramme
    policy_key: str = strawberry.field(description='The policy tier or group, e.g. "age_80".')
    elders: int
    amount_fen: str = strawberry.field(description="In fen, as a decimal string (exact; no float).")
    amount_yuan: str


@strawberry.type(description="Eligible elders of a tier or group with no standard in force (not paid ¥0).")
class ElderAllowanceTierSkipped:
    programme: AllowanceProgramme
    policy_key: str
    elders: int


@strawberry.type(description="One monthly allowance run (the n-th of its month), district-wide.")
class ElderAllowanceRun:
    id: str = strawberry.field(description="Also the id of its civic.eldercare.allowance-issued event.")
    period: str = strawberry.field(description='"YYYY-MM"')
    sequence: int
    started_at: datetime | None
    finished_at: datetime | None = strawberry.field(
        description="Null while under way, or when it crashed (the next run pays the rest)."
    )
    paid_count: int = strawberry.field(description="Payments this run made.")
    paid_fen: str
    paid_yuan: str
    skipped_count: int = strawberry.field(description="Eligible elders with no standard in force.")
    reported_count: int = strawberry.field(description="Payments of the month its summary event reported.")
    event_published: bool
    paid_by_tier: list[ElderAllowanceTierTotal] = strawberry.field(
        description="Only on the runElderAllowances result."
    )
    skipped_by_tier: list[ElderAllowanceTierSkipped] = strawberry.field(
        description="Only on the runElderAllowances result."
    )

    @classmethod
    def from_pb(cls, m: pb.ElderAllowanceRun) -> ElderAllowanceRun:
        """The GraphQL run of a reply."""
        return cls(
            id=m.id,
            period=m.period,
            sequence=m.sequence,
            started_at=timestamp(m, "started_at"),
            finished_at=timestamp(m, "finished_at"),
            paid_count=m.paid_count,
            paid_fen=str(m.paid_fen),
            paid_yuan=m.paid_yuan,
            skipped_count=m.skipped_count,
            reported_count=m.reported_count,
            event_published=m.event_published,
            paid_by_tier=[
                ElderAllowanceTierTotal(
                    programme=AllowanceProgramme(t.programme),
                    policy_key=t.policy_key,
                    elders=t.elders,
                    amount_fen=str(t.amount_fen),
                    amount_yuan=t.amount_yuan,
                )
                for t in m.paid_by_tier
            ],
            skipped_by_tier=[
                ElderAllowanceTierSkipped(
                    programme=AllowanceProgramme(s.programme), policy_key=s.policy_key, elders=s.elders
                )
                for s in m.skipped_by_tier
            ],
        )


@strawberry.type(description="One month of one programme paid to an elder, with the standard used.")
class ElderAllowancePayment:
    id: strawberry.ID
    elder_id: strawberry.ID
    programme: AllowanceProgramme
    period: str = strawberry.field(description='The month paid, "YYYY-MM".')
    region_code: str = strawberry.field(description="The elder's region when paid.")
    amount_fen: str = strawberry.field(description="In fen, as a decimal string (exact; no float).")
    amount_yuan: str
    policy_key: str = strawberry.field(description="The policy tier or group paid on.")
    policy_effective_from: date | None = strawberry.field(description="The first day of that standard.")
    run_id: str
    paid_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.ElderAllowancePayment) -> ElderAllowancePayment:
        """The GraphQL payment of a reply."""
        return cls(
            id=strawberry.ID(to_base64("ElderAllowancePayment", m.id)),
            elder_id=strawberry.ID(to_base64("Elder", m.elder_id)),
            programme=AllowanceProgramme(m.programme),
            period=m.period,
            region_code=m.region_code,
            amount_fen=str(m.amount_fen),
            amount_yuan=m.amount_yuan,
            policy_key=m.policy_key,
            policy_effective_from=date.fromisoformat(m.policy_effective_from)
            if m.policy_effective_from
            else None,
            run_id=m.run_id,
            paid_at=timestamp(m, "paid_at"),
        )


@strawberry.type(description="An elder's e-voucher balance (zero before the first credit).")
class VoucherBalance:
    elder_id: strawberry.ID
    balance_fen: str = strawberry.field(description="In fen, as a decimal string.")
    balance_yuan: str
    updated_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.VoucherBalance) -> VoucherBalance:
        """The GraphQL balance of a reply."""
        return cls(
            elder_id=strawberry.ID(to_base64("Elder", m.elder_id)),
            balance_fen=str(m.balance_fen),
            balance_yuan=m.balance_yuan,
            updated_at=timestamp(m, "updated_at"),
        )


@strawberry.type(description="A credit or a spend on an elder's e-voucher ledger.")
class VoucherEntry:
    id: strawberry.ID
    elder_id: strawberry.ID
    kind: VoucherEntryKind
    amount_fen: str
    amount_yuan: str
    balance_after_fen: str
    period: str | None = strawberry.field(description="Credits: the month credited.")
    institution_id: strawberry.ID | None = strawberry.field(description="Spends: the institution.")
    reference: str = strawberry.field(description="Spends: the bill reference; credits: the run id.")
    created_at: datetime | None
    created_by: str

    @classmethod
    def from_pb(cls, m: pb.VoucherEntry) -> VoucherEntry:
        """The GraphQL ledger line of a reply."""
        return cls(
            id=strawberry.ID(to_base64("VoucherEntry", m.id)),
            elder_id=strawberry.ID(to_base64("Elder", m.elder_id)),
            kind=VoucherEntryKind(m.kind),
            amount_fen=str(m.amount_fen),
            amount_yuan=m.amount_yuan,
            balance_after_fen=str(m.balance_after_fen),
            period=m.period or None,
            institution_id=strawberry.ID(to_base64("Institution", m.institution_id))
            if m.institution_id
            else None,
            reference=m.reference,
            created_at=timestamp(m, "created_at"),
            created_by=m.created_by,
        )


@strawberry.type(description="Allowance runs, newest month first, the latest run of a month first.")
class ElderAllowanceRunConnection(relay.Connection[ElderAllowanceRun]):
    total_count: int


@strawberry.type(description="Allowance payments, newest month first.")
class ElderAllowancePaymentConnection(relay.Connection[ElderAllowancePayment]):
    total_count: int


@strawberry.type(description="An elder's e-voucher ledger, newest first, with the balance.")
class VoucherLedgerConnection(relay.Connection[VoucherEntry]):
    total_count: int
    balance: VoucherBalance
