"""Allowance runs, payments and voucher lines between models and their proto messages."""

from __future__ import annotations

from minzheng.eldercare.v1 import allowances_pb2 as pb

from services.eldercare.allowance_rules import OLD_AGE, VOUCHER
from services.eldercare.models import ElderAllowancePayment, ElderAllowanceRun, VoucherAccount, VoucherEntry
from services.kit.money import Money
from services.kit.payments import PaymentRunSummary
from services.kit.protoconv import timestamp

PROGRAMME_TO_PB = {OLD_AGE: pb.ALLOWANCE_PROGRAMME_OLD_AGE, VOUCHER: pb.ALLOWANCE_PROGRAMME_VOUCHER}
PROGRAMME_FROM_PB = {v: k for k, v in PROGRAMME_TO_PB.items()}
KIND_TO_PB = {"credit": pb.VOUCHER_ENTRY_KIND_CREDIT, "spend": pb.VOUCHER_ENTRY_KIND_SPEND}


def run_to_pb(run: ElderAllowanceRun, summary: PaymentRunSummary | None = None) -> pb.ElderAllowanceRun:
    """The wire form of a run; per-tier figures when the run's ``summary`` is at hand."""
    reply = pb.ElderAllowanceRun(
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
        for group, total in sorted(summary.paid.items()):
            programme, key = group.split(":", 1)
            reply.paid_by_tier.append(
                pb.ProgrammeTierTotal(
                    programme=PROGRAMME_TO_PB[programme],
                    policy_key=key,
                    elders=total.persons,
                    amount_fen=total.total_fen,
                    amount_yuan=total.total.text,
                )
            )
        for group, n in sorted(summary.skipped.items()):
            programme, key = group.split(":", 1)
            reply.skipped_by_tier.append(
                pb.ProgrammeTierSkipped(programme=PROGRAMME_TO_PB[programme], policy_key=key, elders=n)
            )
    return reply


def payment_to_pb(p: ElderAllowancePayment) -> pb.ElderAllowancePayment:
    """The wire form of one payment, with the standard it used."""
    return pb.ElderAllowancePayment(
        id=p.id or 0,
        elder_id=p.elder_id,
        programme=PROGRAMME_TO_PB[p.programme],
        period=p.period,
        region_code=p.region_code,
        amount_fen=p.amount_fen,
        amount_yuan=Money(p.amount_fen).text,
        policy_key=p.policy_key,
        policy_effective_from=p.policy_effective_from.isoformat(),
        run_id=p.run_id,
        paid_at=timestamp(p.paid_at),
    )


def balance_to_pb(elder_id: str, account: VoucherAccount | None) -> pb.VoucherBalance:
    """An elder's balance (zero before the first credit)."""
    fen = account.balance_fen if account is not None else 0
    return pb.VoucherBalance(
        elder_id=elder_id,
        balance_fen=fen,
        balance_yuan=Money(fen).text,
        updated_at=timestamp(account.updated_at) if account is not None else None,
    )


def entry_to_pb(e: VoucherEntry) -> pb.VoucherEntry:
    """The wire form of one ledger line."""
    return pb.VoucherEntry(
        id=e.id or 0,
        elder_id=e.elder_id,
        kind=KIND_TO_PB[e.kind],
        amount_fen=e.amount_fen,
        amount_yuan=Money(e.amount_fen).text,
        balance_after_fen=e.balance_after_fen,
        period=e.period or "",
        institution_id=e.institution_id or "",
        reference=e.reference,
        created_at=timestamp(e.created_at),
        created_by=e.created_by,
    )
