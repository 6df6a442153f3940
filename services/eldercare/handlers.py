"""Events eldercare consumes: relief status for the e-voucher run, and registered deaths.

- ``assistance-granted``: each elder among the members holds the programme (低保 / 低边 / 特困) from its
  date — an open ``elder_relief_period`` (one open period per elder and programme, by a partial unique
  index, so a repeated grant adds nothing). The run reads the status held on a month's 1st.
- ``assistance-suspended`` / ``-terminated``: the elder's open period of that programme closes on the
  event's date (the first day without it).
- ``death-registered``: the elder is recorded deceased (``deceased_on``; allowances stop from the next
  month: a month is paid to those alive on its 1st), their bed is released with reason "deceased" (the
  usual ``bed-released`` event) and payments already made for months after the death are counted in
  the audit row as overpayments to recover.

The consumer (kit.consumer) runs a handler in the same transaction as its inbox row, so a redelivered
event changes nothing; the same fact under a new event id changes nothing either (the open period
exists, ``deceased_on`` is set, the bed is vacant). A payload that breaks the contract (inbound.py)
raises ``Unprocessable``: rolled back and dead-lettered at once.

Elders are matched by ID-number digest (``elder_identity_digest``, under the current key). Elders are
registered elsewhere (elders.py) without a digest row, so each match first adds the digests missing
under the key — an anti-join on primary keys — and the digest job does the bulk at start.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import allowance_rules, assignments, inbound
from services.eldercare.allowance_job import Clock
from services.eldercare.models import (
    Bed,
    Elder,
    ElderAllowancePayment,
    ElderIdentityDigest,
    ElderReliefPeriod,
)
from services.kit import audit
from services.kit.auth import Principal
from services.kit.cloudevents import CloudEvent
from services.kit.columns import in_regions
from services.kit.db import Database, insert_ignoring_conflicts
from services.kit.iddigest import digest_key, id_number_digest, key_id
from services.kit.service import Job, ServiceContext, Subscription
from services.kit.subjects import Handler, route

log = logging.getLogger(__name__)

DURABLE = "eldercare-inbound"
DIGEST_JOB = "eldercare-digest-sync"
DIGEST_INTERVAL_S = 6 * 3600.0
DECEASED = "deceased"


async def sync_digests(session: AsyncSession, *, key: bytes) -> int:
    """Add the digest of every elder that has none under the current key; returns how many were added."""
    kid = key_id(key)
    has = (
        select(col(ElderIdentityDigest.elder_id))
        .where(col(ElderIdentityDigest.elder_id) == col(Elder.id), col(ElderIdentityDigest.key_id) == kid)
        .exists()
    )
    missing = (await session.exec(select(Elder.id, Elder.id_number).where(~has))).all()
    rows = [
        {"elder_id": eid, "key_id": kid, "digest": id_number_digest(number, key)} for eid, number in missing
    ]
    if rows:
        # Another replica may be syncing the same elders: theirs and ours are identical.
        await session.exec(insert_ignoring_conflicts(session, ElderIdentityDigest), params=rows)  # type: ignore[call-overload]
    return len(rows)


async def elders_by_digest(
    session: AsyncSession, *, key: bytes, digests: Iterable[str], scopes: Sequence[str]
) -> list[Elder]:
    """Registered elders (inside ``scopes``) whose ID-number digest is one of ``digests``."""
    wanted = sorted(set(digests))
    if not wanted:
        return []
    await sync_digests(session, key=key)
    stmt = (
        select(Elder)
        .join(ElderIdentityDigest, col(ElderIdentityDigest.elder_id) == col(Elder.id))
        .where(
            col(ElderIdentityDigest.key_id) == key_id(key),
            col(ElderIdentityDigest.digest).in_(wanted),
            in_regions(col(Elder.region_code), scopes),
        )
        .order_by(col(Elder.id))
    )
    return list((await session.exec(stmt)).all())


def digest_job(db: Database, *, key: bytes, interval_s: float = DIGEST_INTERVAL_S) -> Job:
    """Complete the digests under the current key at start (after a rotation: everyone) and now and then."""

    async def run() -> int:
        async with db.unit_of_work() as session:
            return await sync_digests(session, key=key)

    return Job(name=DIGEST_JOB, interval_s=interval_s, run=run)


class InboundHandlers:
    """The handlers, with the clock and the digest key they use."""

    def __init__(self, *, clock: Clock, key: bytes) -> None:
        self._clock = clock
        self._key = key

    def routes(self) -> dict[str, Handler]:
        """``{subject: handler}`` for the one durable (kit.subjects.route)."""
        return {
            inbound.RELIEF_ASSISTANCE_GRANTED: self.assistance_granted,
            inbound.RELIEF_ASSISTANCE_SUSPENDED: self.assistance_ended,
            inbound.RELIEF_ASSISTANCE_TERMINATED: self.assistance_ended,
            inbound.FUNERAL_DEATH_REGISTERED: self.death_registered,
        }

    async def assistance_granted(
        self, session: AsyncSession, event: CloudEvent, principal: Principal
    ) -> None:
        """civic.relief.assistance-granted → an open relief period for each elder among the members."""
        grant = inbound.parse(inbound.AssistanceGranted, event.data)
        found = await elders_by_digest(
            session, key=self._key, digests=(m.id_digest for m in grant.members), scopes=principal.regions
        )
        rows = [
            {
                "elder_id": e.id,
                "programme": grant.programme,
                "effective_from": grant.effective_from,
                "effective_to": None,
                "household_id": grant.household_id,
                "source_event_id": event.id,
            }
            for e in found
        ]
        if rows:
            # uq_elder_relief_period_open: an elder already holding the programme keeps their period.
            await session.exec(insert_ignoring_conflicts(session, ElderReliefPeriod), params=rows)  # type: ignore[call-overload]
        log.info("event %s: %s granted, %d elders matched", event.id, grant.programme, len(found))

    async def assistance_ended(self, session: AsyncSession, event: CloudEvent, principal: Principal) -> None:
        """civic.relief.assistance-suspended / -terminated → the elders' open period closes on the date."""
        change = inbound.parse(inbound.AssistanceEnded, event.data)
        found = await elders_by_digest(
            session, key=self._key, digests=(m.id_digest for m in change.members), scopes=principal.regions
        )
        if found:
            day = change.effective_from
            start = col(ElderReliefPeriod.effective_from)
            await session.exec(  # type: ignore[call-overload]
                sa.update(ElderReliefPeriod)
                .where(
                    col(ElderReliefPeriod.elder_id).in_([e.id for e in found]),
                    col(ElderReliefPeriod.programme) == change.programme,
                    col(ElderReliefPeriod.effective_to).is_(None),
                )
                # Ended before it began (events out of order): an empty period, never a negative one.
                .values(effective_to=sa.case((start < day, day), else_=start))
                .execution_options(synchronize_session=False)
            )
        log.info("event %s: %s ended, %d elders matched", event.id, change.programme, len(found))

    async def death_registered(self, session: AsyncSession, event: CloudEvent, principal: Principal) -> None:
        """civic.funeral.death-registered → deceased_on, the bed released, allowances stop next month."""
        death = inbound.parse(inbound.DeathRegistered, event.data)
        now = self._clock()
        found = await elders_by_digest(
            session, key=self._key, digests=[death.deceased.id_digest], scopes=principal.regions
        )
        for elder in found:
            if elder.deceased_on is None:
                elder.deceased_on, elder.updated_at = death.date_of_death, now
                session.add(elder)
                overpaid = (
                    await session.exec(
                        select(sa.func.count()).where(
                            col(ElderAllowancePayment.elder_id) == elder.id,
                            col(ElderAllowancePayment.period)
                            >= allowance_rules.first_unpaid_month(death.date_of_death).key,
                        )
                    )
                ).one()
                audit.record(
                    session,
                    actor=principal.subject,
                    action="elder.deceased",
                    target=elder.id,
                    region_code=elder.region_code,
                    now=now,
                    detail=f"died {death.date_of_death.isoformat()} ({death.death_id}); "
                    f"payments after death to recover: {int(overpaid)}",
                )
            beds = await session.exec(select(Bed.id).where(col(Bed.occupant_id_number) == elder.id_number))
            for bed_id in list(beds.all()):
                await assignments.release_bed(
                    session,
                    actor=principal.subject,
                    bed_id=bed_id,
                    scopes=principal.regions,
                    reason=DECEASED,
                    now=now,
                )
        log.info("event %s: death registered, %d elders matched", event.id, len(found))


def subscriptions(ctx: ServiceContext, *, clock: Clock) -> list[Subscription]:
    """The one durable consumer of relief and funeral events (spec.subscriptions)."""
    routes = InboundHandlers(clock=clock, key=digest_key(ctx.settings)).routes()
    return [Subscription(durable=DURABLE, subjects=list(routes), handler=route(routes))]
