"""Payment runs, ledger lines and overpayments between relief's rows and the payments proto messages."""

from __future__ import annotations

import json
from datetime import date

from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import payments_pb2 as pb

from services.kit import paging
from services.kit.money import Money
from services.kit.payments import PaymentRunSummary
from services.kit.protoconv import timestamp
from services.relief.eligibility_models import Classification
from services.relief.models import ReliefClassificationRun, ReliefOverpayment, ReliefPayment, ReliefPaymentRun
from services.relief.models.payments import BASIS_ASSESSMENT, BASIS_GRANT
from services.relief.overpayments import OverpaymentStatus
from services.relief.payment_ledger import Ledger

CLASSIFICATION_TO_PB: dict[str, epb.Classification.ValueType] = {
    Classification.TEKUN.value: epb.CLASSIFICATION_TEKUN,
    Classification.DIBAO.value: epb.CLASSIFICATION_DIBAO,
    Classification.DIBIAN.value: epb.CLASSIFICATION_DIBIAN,
    Classification.NONE.value: epb.CLASSIFICATION_NONE,
}
BASIS_TO_PB = {BASIS_ASSESSMENT: pb.PAYMENT_BASIS_ASSESSMENT, BASIS_GRANT: pb.PAYMENT_BASIS_GRANT}
OVERPAYMENT_STATUS_TO_PB: dict[OverpaymentStatus, pb.OverpaymentStatus.ValueType] = {
    OverpaymentStatus.OPEN: pb.OVERPAYMENT_STATUS_OPEN,
    OverpaymentStatus.RECOVERED: pb.OVERPAYMENT_STATUS_RECOVERED,
    OverpaymentStatus.WAIVED: pb.OVERPAYMENT_STATUS_WAIVED,
}
OVERPAYMENT_STATUS_FROM_PB = {v: k for k, v in OVERPAYMENT_STATUS_TO_PB.items()}


def run_to_pb(run: ReliefPaymentRun, summary: PaymentRunSummary | None = None) -> pb.PaymentRun:
    """The wire form of a payment run; per-programme figures when the run's ``summary`` is at hand."""
    reply = pb.PaymentRun(
        id=run.id,
        period=run.period,
        sequence=run.sequence,
        classification_run_id=run.classification_run_id or "",
        started_at=timestamp(run.started_at),
        finished_at=timestamp(run.finished_at),
        started_by=run.started_by,
        paid_count=run.paid_count,
        paid_fen=run.total_fen,
        paid_yuan=Money(run.total_fen).text,
        reported_count=run.reported_count,
        # The run staged its summary exactly when it completed with something to report.
        event_published=run.finished_at is not None and run.reported_count > 0,
    )
    if summary is not None:
        for programme, total in sorted(summary.paid.items()):
            reply.paid_by_programme.append(
                pb.ProgrammePaidTotal(
                    programme=CLASSIFICATION_TO_PB[programme],
                    households=total.persons,
                    amount_fen=total.total_fen,
                    amount_yuan=total.total.text,
                )
            )
        reply.zero_amount = summary.persons_skipped
    return reply


def classification_run_to_pb(run: ReliefClassificationRun) -> pb.ClassificationRun:
    """The wire form of a re-classification run, its counts per classification."""
    counts = json.loads(run.counts or "{}")
    return pb.ClassificationRun(
        id=run.id,
        period=run.period,
        sequence=run.sequence,
        started_at=timestamp(run.started_at),
        finished_at=timestamp(run.finished_at),
        households=run.households,
        engine_households=run.engine_households,
        flagged=run.flagged,
        counts=[
            pb.ClassificationCount(classification=CLASSIFICATION_TO_PB[c], households=int(n))
            for c, n in sorted(counts.items())
            if c in CLASSIFICATION_TO_PB
        ],
    )


def payment_to_pb(
    p: ReliefPayment, classification: str | None, standards_day: date | None
) -> pb.LedgerPayment:
    """A ledger line: the payment and, when paid on an assessment, its classification and standards day."""
    return pb.LedgerPayment(
        id=p.id or 0,
        programme=CLASSIFICATION_TO_PB[p.programme],
        period=p.period,
        amount_fen=p.amount_fen,
        amount_yuan=Money(p.amount_fen).text,
        basis=BASIS_TO_PB[p.basis],
        grant_id=p.grant_id,
        assessment_id=p.assessment_id or 0,
        classification=CLASSIFICATION_TO_PB.get(classification or "", epb.CLASSIFICATION_UNSPECIFIED),
        standards_day=standards_day.isoformat() if standards_day else "",
        run_id=p.run_id,
        paid_at=timestamp(p.paid_at),
        region_code=p.region_code,
    )


def overpayment_to_pb(o: ReliefOverpayment) -> pb.Overpayment:
    """The wire form of an overpayment."""
    return pb.Overpayment(
        id=o.id,
        household_id=o.household_id,
        region_code=o.region_code,
        payment_id=o.payment_id,
        person_id=o.person_id,
        died_on=o.died_on.isoformat(),
        period=o.period,
        amount_fen=o.amount_fen,
        amount_yuan=Money(o.amount_fen).text,
        status=OVERPAYMENT_STATUS_TO_PB[OverpaymentStatus(o.status)],
        found_at=timestamp(o.found_at),
        handled_by=o.handled_by or "",
        handled_at=timestamp(o.handled_at),
        handled_note=o.handled_note,
    )


def ledger_to_pb(found: Ledger) -> pb.Ledger:
    """A household's ledger page with its overpayments and totals (cursor per line: period and id)."""
    cursors = [paging.encode_page_token(x.payment.period, str(x.payment.id)) for x in found.lines]
    return pb.Ledger(
        household_id=found.household_id,
        payments=[payment_to_pb(x.payment, x.classification, x.standards_day) for x in found.lines],
        page_info=paging.page_info(cursors[-1] if found.more and cursors else "", found.paid_count),
        cursors=cursors,
        overpayments=[overpayment_to_pb(o) for o in found.overpayments],
        paid_count=found.paid_count,
        paid_fen=found.paid_fen,
        paid_yuan=Money(found.paid_fen).text,
        overpaid_open_fen=found.overpaid_fen[OverpaymentStatus.OPEN],
        recovered_fen=found.overpaid_fen[OverpaymentStatus.RECOVERED],
        waived_fen=found.overpaid_fen[OverpaymentStatus.WAIVED],
    )
