"""The e-voucher ledger (重阳分): balances credited by the monthly run, spent on bed fees in an institution.

A spend is one guarded ``UPDATE voucher_account SET balance_fen = balance_fen - :amount WHERE elder_id
= :elder AND balance_fen >= :amount``: on PostgreSQL a concurrent spend waits for the row lock and then
re-checks the condition against the new balance; SQLite has one writer at a time. Either way two spends
can never take the balance below zero (and ``ck_voucher_account_balance`` is the last guard). A refused
spend raises before anything is written; a repeated bill reference (unique per institution) rolls the
whole spend back. Functions take the session and never commit: the caller's unit of work does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import allowance_rules
from services.eldercare.models import (
    Bed,
    Elder,
    ElderAllowancePayment,
    Institution,
    VoucherAccount,
    VoucherEntry,
)
from services.kit import audit, payments
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists, FailedPrecondition, NotFound
from services.kit.money import Money

Page = tuple[list[VoucherEntry], int, bool]
RUN_ACTOR = "allowance-run"  # who the monthly credits are by


async def visible_elder(session: AsyncSession, *, elder_id: str, scopes: Sequence[str]) -> Elder:
    """The elder, if inside the scopes; NotFound otherwise (existence elsewhere does not leak)."""
    stmt = select(Elder).where(col(Elder.id) == elder_id, in_regions(col(Elder.region_code), scopes))
    elder = (await session.exec(stmt)).first()
    if elder is None:
        raise NotFound(f"elder {elder_id} not found")
    return elder


async def account_of(session: AsyncSession, *, elder_id: str) -> VoucherAccount | None:
    """The elder's account, or None before the first credit."""
    return await session.get(VoucherAccount, elder_id)


async def spend(
    session: AsyncSession,
    *,
    actor: str,
    elder_id: str,
    institution_id: str,
    amount_fen: int,
    reference: str,
    scopes: Sequence[str],
    now: datetime,
) -> VoucherEntry:
    """Offset a bill of the institution where the elder holds a bed; FailedPrecondition beyond the balance."""
    elder = await visible_elder(session, elder_id=elder_id, scopes=scopes)
    institution = (
        await session.exec(
            select(Institution).where(
                col(Institution.id) == institution_id, in_regions(col(Institution.region_code), scopes)
            )
        )
    ).first()
    if institution is None:
        raise NotFound(f"institution {institution_id} not found")
    holds = await session.exec(
        select(Bed.id).where(
            col(Bed.institution_id) == institution.id, col(Bed.occupant_id_number) == elder.id_number
        )
    )
    if holds.first() is None:
        raise FailedPrecondition(f"the elder holds no bed in {institution.name}: its fees cannot be offset")
    repeated = f"{institution.name} bill {reference} was already offset"
    spent = select(VoucherEntry.id).where(
        col(VoucherEntry.institution_id) == institution.id,
        col(VoucherEntry.reference) == reference,
        col(VoucherEntry.kind) == "spend",
    )
    if (await session.exec(spent)).first() is not None:
        raise AlreadyExists(repeated)
    taken = await session.exec(  # type: ignore[call-overload]
        sa.update(VoucherAccount)
        .where(col(VoucherAccount.elder_id) == elder.id, col(VoucherAccount.balance_fen) >= amount_fen)
        .values(balance_fen=VoucherAccount.balance_fen - amount_fen, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        account = await account_of(session, elder_id=elder.id)
        balance = account.balance_fen if account is not None else 0
        raise FailedPrecondition(
            allowance_rules.check_spend(balance, amount_fen) or "the e-voucher balance changed; try again"
        )
    account = await session.get_one(VoucherAccount, elder.id, populate_existing=True)
    entry = VoucherEntry(
        elder_id=elder.id,
        region_code=elder.region_code,
        kind="spend",
        amount_fen=amount_fen,
        balance_after_fen=account.balance_fen,
        institution_id=institution.id,
        reference=reference,
        created_at=now,
        created_by=actor,
    )
    session.add(entry)
    try:
        await session.flush()
    except IntegrityError as exc:  # uq_voucher_entry_spend_reference: a concurrent spend of the same bill
        raise AlreadyExists(repeated) from exc
    audit.record(
        session,
        actor=actor,
        action="voucher.spend",
        target=elder.id,
        region_code=elder.region_code,
        now=now,
        detail=f"{Money(amount_fen).text} yuan at {institution.id} ({reference})",
    )
    return entry


async def ledger(
    session: AsyncSession, *, elder_id: str, scopes: Sequence[str], before: int | None, limit: int
) -> tuple[Elder, Page]:
    """An elder's ledger lines, newest first: (elder, (rows, total, whether more follow))."""
    elder = await visible_elder(session, elder_id=elder_id, scopes=scopes)
    mine = col(VoucherEntry.elder_id) == elder.id
    total = (await session.exec(select(sa.func.count()).select_from(VoucherEntry).where(mine))).one()
    stmt = select(VoucherEntry).where(mine)
    if before is not None:
        stmt = stmt.where(col(VoucherEntry.id) < before)
    rows = list((await session.exec(stmt.order_by(col(VoucherEntry.id).desc()).limit(limit + 1))).all())
    return elder, (rows[:limit], int(total), len(rows) > limit)


async def credit_payments(session: AsyncSession, payment_ids: Sequence[int], now: datetime) -> None:
    """Add new e-voucher payments to the elders' balances and write their ledger lines (same transaction)."""
    pay = ElderAllowancePayment.__table__  # type: ignore[attr-defined]
    account = VoucherAccount.__table__  # type: ignore[attr-defined]
    insert = payments.insert_for((await session.connection()).dialect.name)
    new = col(ElderAllowancePayment.id).in_(list(payment_ids))
    upsert = insert(account).from_select(
        ["elder_id", "region_code", "balance_fen", "updated_at"],
        select(
            pay.c.elder_id, pay.c.region_code, pay.c.amount_fen, sa.literal(now, sa.DateTime(timezone=True))
        ).where(new),
    )
    upsert = upsert.on_conflict_do_update(
        index_elements=["elder_id"],
        set_={
            "balance_fen": account.c.balance_fen + upsert.excluded.balance_fen,
            "updated_at": upsert.excluded.updated_at,
        },
    )
    await session.exec(upsert)  # type: ignore[call-overload]
    # The balance read is the one just written: the upsert holds the account rows until commit.
    lines = (
        select(
            pay.c.elder_id,
            pay.c.region_code,
            sa.literal("credit", sa.String),
            pay.c.amount_fen,
            account.c.balance_fen,
            pay.c.period,
            pay.c.run_id,
            sa.literal(now, sa.DateTime(timezone=True)),
            sa.literal(RUN_ACTOR, sa.String),
        )
        .select_from(pay.join(account, account.c.elder_id == pay.c.elder_id))
        .where(new)
    )
    columns = [
        "elder_id", "region_code", "kind", "amount_fen", "balance_after_fen",
        "period", "reference", "created_at", "created_by",
    ]  # fmt: skip
    await session.exec(sa.insert(VoucherEntry).from_select(columns, lines))  # type: ignore[call-overload]
