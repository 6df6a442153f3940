"""Proactive discovery (主动发现): other services' events become household flags on the officers' worklist.

- ``elder-assessed`` (eldercare) and ``child-registered`` (childwelfare): the person is found among
  relief's current members by the ``id_digest`` those events carry (older events without one: by the
  masked ID number — area code and last four characters —, the age on the day and the event's region,
  flagging only a unique match). The fact (``discovery_rules``)
  and the programmes the household holds decide the flag.
- ``death-registered`` (funeral, designed now, wired when funeral exists): the deceased is found by
  ``id_digest`` (``person_identity_digest`` under the current key). Their membership closes with reason
  died (``memberships.remove_member``, as RemoveMember does; when the head dies the spouse, else the
  eldest member, heads the household provisionally and a flag asks to confirm, whatever it holds).
  A household that keeps members is flagged for re-assessment from the next month when it holds a
  programme; one left with no member has its open grants terminated from the day after the death
  (``grants.end_grant``, which stages ``assistance-terminated`` naming the deceased, done before the
  membership closes).

With payments (issue 6 item 5): the deceased's share stops from the next run (the re-classification
reads the current members; a grant the death ended pays nothing after it), and every payment for a
month that began after the date of death is listed as an overpayment to recover or waive
(``overpayments.list_after_death``; the flag's reason says so already).

Each handler runs in the consumer's unit of work with its inbox row (kit.consumer), so a redelivered
event changes nothing; a flag is also unique per source event (``discovery_flags``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.auth import Principal
from services.kit.cloudevents import CloudEvent
from services.kit.columns import in_regions
from services.kit.errors import NotFound
from services.kit.iddigest import digest_key, key_id
from services.kit.periods import china_today
from services.kit.service import ServiceContext, Subscription
from services.kit.subjects import Handler, route
from services.relief import digests, grants, inbound, memberships, overpayments, people
from services.relief import discovery_rules as rules
from services.relief.application_rules import OPEN_GRANT_STATUSES
from services.relief.clock import Clock
from services.relief.discovery_flags import raise_flag
from services.relief.eligibility_models import Relation
from services.relief.household_rules import LeaveReason
from services.relief.households import members_of, visible_household
from services.relief.models import AssistanceGrant, Household, Membership, Person, PersonIdentityDigest

log = logging.getLogger(__name__)

DURABLE = "relief-discovery"
OPEN = [s.value for s in OPEN_GRANT_STATUSES]


async def held_programmes(session: AsyncSession, *, household_id: str) -> frozenset[str]:
    """The programmes the household holds an open (active or suspended) grant of."""
    stmt = select(AssistanceGrant.programme).where(
        AssistanceGrant.household_id == household_id, col(AssistanceGrant.status).in_(OPEN)
    )
    return frozenset((await session.exec(stmt)).all())


async def match_masked(
    session: AsyncSession, *, masked: str, age: int, on: date, region: str, scopes: Sequence[str]
) -> tuple[Person, Household] | None:
    """The one current member matching a masked number, age and region; None when none or several."""
    parts = rules.masked_parts(masked)
    if parts is None:
        return None
    area, last4 = parts
    earliest, latest = rules.birth_window(age, on)
    number = col(Person.id_number)
    stmt = (
        select(Person, Household)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .join(Household, col(Household.id) == col(Membership.household_id))
        .where(
            # LIKE, not a range: person.id_number has the database's collation, not byte order. The
            # household's region (indexed) and the birth window narrow the scan first.
            number.startswith(area),
            number.endswith(last4),
            col(Person.birth_date) >= earliest,
            col(Person.birth_date) <= latest,
            col(Person.deceased_on).is_(None),
            col(Membership.left_on).is_(None),
            in_regions(col(Household.region_code), [region]),
            in_regions(col(Household.region_code), scopes),
        )
        .limit(2)
    )
    found = list((await session.exec(stmt)).all())
    return found[0] if rules.unique(p.id for p, _ in found) is not None else None


async def match_digest(
    session: AsyncSession, *, key: bytes, digest: str, scopes: Sequence[str]
) -> tuple[Person, Household] | None:
    """The living person with that ID-number digest and the household they belong to now, if any."""
    stmt = (
        select(Person, Household)
        .join(PersonIdentityDigest, col(PersonIdentityDigest.person_id) == col(Person.id))
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .join(Household, col(Household.id) == col(Membership.household_id))
        .where(
            col(PersonIdentityDigest.key_id) == key_id(key),
            col(PersonIdentityDigest.digest) == digest,
            col(Person.deceased_on).is_(None),
            col(Membership.left_on).is_(None),
            in_regions(col(Household.region_code), scopes),
        )
    )
    return (await session.exec(stmt)).first()


async def person_by_digest(session: AsyncSession, *, key: bytes, digest: str) -> Person | None:
    """The person whose ID-number digest under the current key is ``digest``."""
    stmt = (
        select(Person)
        .join(PersonIdentityDigest, col(PersonIdentityDigest.person_id) == col(Person.id))
        .where(col(PersonIdentityDigest.key_id) == key_id(key), col(PersonIdentityDigest.digest) == digest)
    )
    return (await session.exec(stmt)).first()


class DiscoveryHandlers:
    """The handlers, with the clock and the digest key they use."""

    def __init__(self, *, clock: Clock, key: bytes) -> None:
        self._clock = clock
        self._key = key

    def routes(self) -> dict[str, Handler]:
        """``{subject: handler}`` for the one durable (kit.subjects.route)."""
        return {
            inbound.ELDERCARE_ELDER_ASSESSED: self.elder_assessed,
            inbound.CHILDWELFARE_CHILD_REGISTERED: self.child_registered,
            inbound.FUNERAL_DEATH_REGISTERED: self.death_registered,
        }

    async def elder_assessed(self, session: AsyncSession, event: CloudEvent, principal: Principal) -> None:
        """civic.eldercare.elder-assessed → a severely disabled elder's household may qualify."""
        e = inbound.parse(inbound.ElderAssessed, event.data)
        fact = rules.elder_fact(e.level, current=e.current)
        details = rules.Details(e.assessed_on, e.level)
        await self._person(
            session, event, principal, fact, e.id_digest, e.elder_id_masked, e.age, e.region_code, details
        )

    async def child_registered(self, session: AsyncSession, event: CloudEvent, principal: Principal) -> None:
        """civic.childwelfare.child-registered → an unsupported child's household may qualify."""
        c = inbound.parse(inbound.ChildRegistered, event.data)
        fact = rules.child_fact(c.category)
        details = rules.Details(china_today(c.at), c.category)
        await self._person(
            session, event, principal, fact, c.id_digest, c.child_id_masked, c.age, c.region_code, details
        )

    async def _person(
        self,
        session: AsyncSession,
        event: CloudEvent,
        principal: Principal,
        fact: rules.Fact | None,
        digest: str | None,
        masked: str,
        age: int,
        region: str,
        details: rules.Details,
    ) -> None:
        if fact is None:
            log.info("event %s: nothing for relief in it", event.id)
            return
        if digest is not None:
            found = await match_digest(session, key=self._key, digest=digest, scopes=principal.regions)
            if found is None:  # not one of ours, unless a key rotation has not given everyone a digest yet
                await digests.require_complete(session, key=self._key, event_id=event.id)
        else:  # an event from before the publisher named people by digest
            found = await match_masked(
                session, masked=masked, age=age, on=details.on, region=region, scopes=principal.regions
            )
        if found is None:
            log.info("event %s: %s, no single member matched", event.id, fact.value)
            return
        person, household = found
        held = await held_programmes(session, household_id=household.id)
        await self._flag(session, event, household, person.id, rules.decide(fact, held, details))

    async def _flag(
        self,
        session: AsyncSession,
        event: CloudEvent,
        household: Household,
        person_id: str | None,
        decision: rules.Flag | None,
    ) -> None:
        if decision is None:
            log.info("event %s: household %s needs no flag", event.id, household.id)
            return
        row = await raise_flag(
            session,
            household=household,
            person_id=person_id,
            flag=decision,
            source_event_id=event.id,
            source_type=event.type,
            now=self._clock(),
        )
        log.info("event %s: household %s %s", event.id, household.id, "flagged" if row else "flagged already")

    async def death_registered(self, session: AsyncSession, event: CloudEvent, principal: Principal) -> None:
        """civic.funeral.death-registered → the membership closes (died); re-assess or end the grants."""
        death = inbound.parse(inbound.DeathRegistered, event.data)
        now = self._clock()
        died = death.date_of_death
        person = await person_by_digest(session, key=self._key, digest=death.deceased.id_digest)
        if person is None:  # as in _person: retried while a key rotation is under way
            await digests.require_complete(session, key=self._key, event_id=event.id)
        membership = await people.open_membership(session, person_id=person.id) if person else None
        if person is None or membership is None:
            if person is not None and person.deceased_on is None:
                person.deceased_on, person.updated_at = died, now
                session.add(person)
            log.info("event %s: the deceased is no current member of a relief household", event.id)
            return
        try:
            household = await visible_household(
                session, scopes=principal.regions, household_id=membership.household_id, for_update=True
            )
        except NotFound:
            log.warning("event %s: the deceased's household is outside relief's regions", event.id)
            return
        rows = (await members_of(session, household_ids=[household.id])).get(household.id, [])
        staying = [r for r in rows if r.person.id != person.id]
        was_head = membership.relation == Relation.HEAD.value
        fact = rules.death_fact(
            died_on=died, joined_on=membership.joined_on, others_stay=bool(staying), was_head=was_head
        )
        held = await held_programmes(session, household_id=household.id)
        detail = membership.joined_on.isoformat()
        if fact is rules.Fact.LAST_MEMBER_DIED:
            await self._terminate(session, principal, household.id, died)
        if fact is not rules.Fact.DEATH_BEFORE_JOINING:
            heir = None
            if fact is rules.Fact.HEAD_DIED:
                heir = rules.provisional_head(
                    rules.Staying(r.person.id, r.membership.relation, r.person.birth_date) for r in staying
                )
                detail = heir or ""
            leaving = memberships.Leaving(
                household_id=household.id,
                person_id=person.id,
                reason=LeaveReason.DIED,
                on=died,
                note=f"death registered ({death.death_id})",
                new_head_person_id=heir,
            )
            await memberships.remove_member(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                leaving=leaving,
                key=self._key,
                now=now,
            )
        decision = rules.decide(fact, held, rules.Details(died, detail))
        await self._flag(session, event, household, person.id, decision)
        if fact is not rules.Fact.DEATH_BEFORE_JOINING:
            # Months already paid that began after the death: listed for recovery or waiver.
            listed = await overpayments.list_after_death(
                session,
                household_id=household.id,
                person_id=person.id,
                died_on=died,
                source_event_id=event.id,
                now=now,
            )
            log.info("event %s: household %s, %d overpayment(s) listed", event.id, household.id, listed)

    async def _terminate(
        self, session: AsyncSession, principal: Principal, household_id: str, died: date
    ) -> None:
        """End the household's open grants from the day of death (the only member died), the day the
        membership closes too (``left_on``: the first day without)."""
        now = self._clock()
        await grants.end_open_grants(
            session,
            household_id=household_id,
            actor=principal.subject,
            scopes=principal.regions,
            day=died,
            reason=f"death: the only member died on {died}",
            key=self._key,
            now=now,
        )


def subscriptions(ctx: ServiceContext, *, clock: Clock) -> list[Subscription]:
    """The one durable consumer of eldercare, childwelfare and funeral events (spec.subscriptions)."""
    routes = DiscoveryHandlers(clock=clock, key=digest_key(ctx.settings)).routes()
    return [Subscription(durable=DURABLE, subjects=list(routes), handler=route(routes))]
