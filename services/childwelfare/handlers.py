"""Events child welfare consumes: relief assistance changes and registered deaths become proposals.

Nothing here changes a child's category: each match becomes a proposal on the worklist (proposals.py)
that a town officer accepts or rejects. The consumer (kit.consumer) runs a handler in the same
transaction as its inbox row, so a redelivered event id changes nothing; a second event about the same
fact (relief re-publishing under a new id) finds the open proposal for that child and topic and adds
none (a partial unique index, so two replicas cannot both add one). A payload that breaks the contract
(inbound.py) raises ``kit.consumer.Unprocessable``: rolled back and dead-lettered at once, unretried.

What is proposed (``draft_*`` are the pure rules, tested without a server):

- ``assistance-granted`` dibao / dibian: each registered minor among the members whose category is not
  already 低保家庭 / 低边家庭 → change to that category. Orphans and de-facto unattended children are
  left alone: their category ranks above the household's poverty and carries the higher allowance.
  tekun (特困): a minor in 特困 support usually has no one able to raise them → re-assess (orphan?
  de-facto unattended?), unless already in one of those categories.
- ``assistance-suspended`` / ``-terminated``: a child whose category rests on that programme (低保 →
  低保家庭, 低边 → 低边家庭; 特困 → orphan / de-facto unattended) → re-assess.
- ``death-registered``: guardians carry no ID numbers here, so the funeral service names the deceased's
  minor children and wards (``dependants``) by digest; each registered minor among them → re-assess
  category and guardianship, high priority ("guardian died").

Children are matched by ID-number digest (inbound.py, digests.py), only inside the service principal's
regions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import digests, inbound, proposals, rules
from services.childwelfare.rules import Clock, ProtectionCategory
from services.kit.auth import Principal
from services.kit.cloudevents import CloudEvent
from services.kit.service import ServiceContext, Subscription
from services.kit.subjects import Handler, route

log = logging.getLogger(__name__)

DURABLE = "childwelfare-inbound"
PROGRAMME_NAMES = {"dibao": "低保", "dibian": "低边", "tekun": "特困"}
PROGRAMME_CATEGORY = {
    "dibao": ProtectionCategory.DIBAO_FAMILY,
    "dibian": ProtectionCategory.DIBIAN_FAMILY,
}
# Categories a relief grant never proposes to replace (they rank above the household's poverty).
WITHOUT_CARE = frozenset(
    {
        ProtectionCategory.ORPHAN_INSTITUTION,
        ProtectionCategory.ORPHAN_SCATTERED,
        ProtectionCategory.DE_FACTO_UNATTENDED,
    }
)
Ended = Literal["suspended", "terminated"]


@dataclass(frozen=True)
class Draft:
    """What to propose for one child (a proposal before it has a row)."""

    kind: proposals.Kind
    topic: str
    priority: proposals.Priority
    proposed_category: ProtectionCategory | None
    reason: str


# Decides what to propose for a child, given its current category.
Decide = Callable[[ProtectionCategory], Draft | None]


def draft_for_grant(current: ProtectionCategory, programme: inbound.Programme, since: date) -> Draft | None:
    """A household granted 低保 / 低边 / 特困 from ``since``: what to propose for a child in ``current``."""
    name = PROGRAMME_NAMES[programme]
    if current in WITHOUT_CARE:
        return None
    target = PROGRAMME_CATEGORY.get(programme)
    if target is None:  # 特困
        reason = f"household granted {name} support from {since.isoformat()}"
        reason += ": re-assess (orphan? de-facto unattended?)"
        return Draft("reassessment", "reassess:relief-tekun", "normal", None, reason)
    if current == target:
        return None
    reason = f"household granted {name} support from {since.isoformat()}: propose {target.value}"
    return Draft("category_change", f"category:{target.value}", "normal", target, reason)


def draft_for_end(
    current: ProtectionCategory, programme: inbound.Programme, ended: Ended, since: date, why: str
) -> Draft | None:
    """A household's 低保 / 低边 / 特困 stopped: re-assess a child whose category rests on that programme."""
    target = PROGRAMME_CATEGORY.get(programme)
    rests_on_it = current == target if target is not None else current in WITHOUT_CARE
    if not rests_on_it:
        return None
    reason = f"household's {PROGRAMME_NAMES[programme]} support {ended} from {since.isoformat()}"
    reason += f" ({why})" if why else ""
    return Draft(
        "reassessment", f"reassess:relief-{programme}-ended", "normal", None, reason + ": review category"
    )


def draft_for_death(died_on: date) -> Draft:
    """A guardian (the deceased named the child as a dependant) died: re-assess, high priority."""
    reason = f"guardian died on {died_on.isoformat()}: re-assess category and guardianship"
    return Draft("reassessment", "reassess:guardian-died", "high", None, reason)


class InboundHandlers:
    """The handlers, with the clock (who is a minor today) and the digest key they use."""

    def __init__(self, *, clock: Clock, key: bytes, synced: Callable[[], bool] = lambda: True) -> None:
        self._clock = clock
        self._key = key
        self._synced = synced

    def routes(self) -> dict[str, Handler]:
        """``{subject: handler}`` for the one durable (kit.subjects.route)."""
        return {
            inbound.RELIEF_ASSISTANCE_GRANTED: self.assistance_granted,
            inbound.RELIEF_ASSISTANCE_SUSPENDED: self.assistance_suspended,
            inbound.RELIEF_ASSISTANCE_TERMINATED: self.assistance_terminated,
            inbound.FUNERAL_DEATH_REGISTERED: self.death_registered,
        }

    async def _propose(
        self,
        session: AsyncSession,
        event: CloudEvent,
        principal: Principal,
        people: Iterable[str],
        decide: Decide,
    ) -> int:
        now = self._clock()
        today = rules.china_today(now)
        found = await digests.children_by_digest(
            session, key=self._key, digests=people, scopes=principal.regions, synced=self._synced
        )
        raised = 0
        for child in found:
            if not rules.is_minor(child.birth_date, today):
                continue
            draft = decide(ProtectionCategory(child.category))
            if draft is None:
                continue
            raised += await proposals.raise_proposal(
                session,
                actor=principal.subject,
                child=child,
                kind=draft.kind,
                topic=draft.topic,
                priority=draft.priority,
                proposed_category=draft.proposed_category,
                reason=draft.reason,
                source_subject=event.nats_subject,
                source_event_id=event.id,
                now=now,
            )
        log.info(
            "event %s (%s): %d children matched, %d proposals raised",
            event.id,
            event.nats_subject,
            len(found),
            raised,
        )
        return raised

    async def assistance_granted(
        self, session: AsyncSession, event: CloudEvent, principal: Principal
    ) -> None:
        """civic.relief.assistance-granted → category-change (or re-assessment) proposals."""
        grant = inbound.parse(inbound.AssistanceGranted, event.data)
        await self._propose(
            session,
            event,
            principal,
            (m.id_digest for m in grant.members),
            lambda current: draft_for_grant(current, grant.programme, grant.effective_from),
        )

    async def _ended(
        self, session: AsyncSession, event: CloudEvent, principal: Principal, ended: Ended
    ) -> None:
        change = inbound.parse(inbound.AssistanceEnded, event.data)
        await self._propose(
            session,
            event,
            principal,
            (m.id_digest for m in change.members),
            lambda current: draft_for_end(
                current, change.programme, ended, change.effective_from, change.reason
            ),
        )

    async def assistance_suspended(
        self, session: AsyncSession, event: CloudEvent, principal: Principal
    ) -> None:
        """civic.relief.assistance-suspended → re-assessment proposals."""
        await self._ended(session, event, principal, "suspended")

    async def assistance_terminated(
        self, session: AsyncSession, event: CloudEvent, principal: Principal
    ) -> None:
        """civic.relief.assistance-terminated → re-assessment proposals."""
        await self._ended(session, event, principal, "terminated")

    async def death_registered(self, session: AsyncSession, event: CloudEvent, principal: Principal) -> None:
        """civic.funeral.death-registered → high-priority re-assessment of the deceased's dependants."""
        death = inbound.parse(inbound.DeathRegistered, event.data)
        await self._propose(
            session,
            event,
            principal,
            (d.id_digest for d in death.dependants),
            lambda _current: draft_for_death(death.date_of_death),
        )


def subscriptions(ctx: ServiceContext, *, clock: Clock) -> list[Subscription]:
    """The one durable consumer of relief and funeral events (spec.subscriptions)."""
    key = inbound.id_digest_key(ctx.settings)
    routes = InboundHandlers(clock=clock, key=key, synced=lambda: digests.is_synced(ctx.db, key)).routes()
    return [Subscription(durable=DURABLE, subjects=list(routes), handler=route(routes))]
