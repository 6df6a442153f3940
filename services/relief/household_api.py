"""The households servicer: registry, members and their incomes and assets; no SQL, no policy here.

Who may do what: the write roles (kit.auth: admins, district and town officers, services) register
households and change them inside their regions; every role reads inside its regions. ID numbers are
shown in clear only to the roles that may see them (``Principal.may_see_id_numbers``), and each clear
read is audited in the same transaction as the read. Replies are built inside the session.

GetHousehold carries the current members' incomes and assets rather than separate List RPCs: a
household's file is a few members with tens of rows each, the officer reviewing a case (and the
gateway's ``household(id)``) needs all of it at once, and the assessment reads the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date

import grpc
from minzheng.relief.v1 import households_pb2 as pb
from minzheng.relief.v1 import households_pb2_grpc
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import paging
from services.kit.auth import Principal
from services.kit.grpc_server import current_principal
from services.kit.periods import china_today
from services.kit.service import ServiceContext
from services.relief import audit, finances, household_batches, households, memberships
from services.relief import household_mapping as hm
from services.relief import household_requests as hq
from services.relief.clock import Clock
from services.relief.households import HouseholdFile

Context = grpc.aio.ServicerContext
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["HouseholdService"].full_name


class HouseholdServicer(households_pb2_grpc.HouseholdServiceServicer):
    """minzheng.relief.v1.HouseholdService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, key: bytes) -> None:
        self._db = ctx.db
        self._clock = clock
        self._key = key  # the ID-number digest key (kit.iddigest) stored for each new person

    def _today(self) -> date:
        return china_today(self._clock())

    def _session(self, principal: Principal, *, write: bool) -> AbstractAsyncContextManager[AsyncSession]:
        """A writing session when the call writes or reveals ID numbers (a clear read is audited)."""
        return self._db.unit_of_work() if write or principal.may_see_id_numbers else self._db.read()

    async def _to_pb(
        self,
        session: AsyncSession,
        principal: Principal,
        found: Sequence[HouseholdFile],
        *,
        with_finances: bool,
    ) -> list[pb.Household]:
        """The households as the caller may see them; each member's clear ID number audited."""
        reveal = principal.may_see_id_numbers
        if reveal:
            shown = [(r.person, f.household.region_code) for f in found for r in (*f.members, *f.past)]
            await audit.record_id_reads(session, actor=principal.subject, shown=shown, now=self._clock())
        today = self._today()
        # Every household's incomes and assets in two queries, however many households.
        money = await household_batches.finances_of(session, found) if with_finances else {}
        replies = []
        for f in found:
            incomes, assets = money.get(f.household.id, ([], []))
            replies.append(
                hm.household_to_pb(f, reveal_id=reveal, today=today, incomes=incomes, assets=assets)
            )
        return replies

    async def _reply(self, session: AsyncSession, principal: Principal, found: HouseholdFile) -> pb.Household:
        return (await self._to_pb(session, principal, [found], with_finances=True))[0]

    async def RegisterHousehold(self, request: pb.RegisterHouseholdRequest, context: Context) -> pb.Household:
        """Register a household in a village inside the caller's regions."""
        principal = current_principal()
        principal.require_write()
        new = hq.parse_register(request, today=self._today())
        principal.require_region(new.region_code, what="a household")
        async with self._session(principal, write=True) as session:
            made = await households.register_household(
                session, actor=principal.subject, new=new, key=self._key, now=self._clock()
            )
            return await self._reply(session, principal, made)

    async def GetHousehold(self, request: pb.GetHouseholdRequest, context: Context) -> pb.Household:
        """One household by id or a current member's ID number, inside the caller's regions."""
        principal = current_principal()
        household_id, id_number = hq.parse_get(request)
        async with self._session(principal, write=False) as session:
            found = await households.visible_household(
                session, scopes=principal.regions, household_id=household_id, id_number=id_number
            )
            file = await households.household_file(session, household=found, with_past=True)
            return await self._reply(session, principal, file)

    async def ListHouseholds(
        self, request: pb.ListHouseholdsRequest, context: Context
    ) -> pb.ListHouseholdsResponse:
        """Households in the caller's regions (or one inside them), by pages, with per-row cursors."""
        principal = current_principal()
        query = hq.parse_list(principal, request)
        async with self._session(principal, write=False) as session:
            rows, total, more = await households.list_households(
                session,
                scopes=query.scopes,
                after=query.after,
                limit=query.limit,
                programme=query.programme,
                flagged=query.flagged,
            )
            cursors = [paging.encode_page_token(f.household.region_code, f.household.id) for f in rows]
            return pb.ListHouseholdsResponse(
                households=await self._to_pb(session, principal, rows, with_finances=False),
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def BatchGetHouseholds(
        self, request: pb.BatchGetHouseholdsRequest, context: Context
    ) -> pb.BatchGetHouseholdsResponse:
        """Up to 100 households in the caller's regions, each with what was asked for, in one call."""
        principal = current_principal()
        query = hq.parse_batch(request)
        async with self._session(principal, write=False) as session:
            files = await household_batches.visible_files(
                session, scopes=principal.regions, ids=query.ids, with_past=query.with_file
            )
            shown = [f.household.id for f in files]
            grants = (
                await household_batches.grants_of(session, household_ids=shown) if query.with_grants else {}
            )
            applications = flags = None
            if query.applications is not None:
                state, size = query.applications
                applications = await household_batches.first_applications(
                    session, household_ids=shown, state=state, limit=size
                )
            if query.flags is not None:
                status, size = query.flags
                flags = await household_batches.first_flags(
                    session, household_ids=shown, status=status, limit=size
                )
            households = await self._to_pb(session, principal, files, with_finances=query.with_file)
            return pb.BatchGetHouseholdsResponse(
                households=[
                    hm.bundle_to_pb(
                        household,
                        grants=grants.get(household.id, []),
                        applications=None if applications is None else applications[household.id],
                        flags=None if flags is None else flags[household.id],
                    )
                    for household in households
                ]
            )

    async def AddMember(self, request: pb.AddMemberRequest, context: Context) -> pb.Household:
        """A person joins a household (audited)."""
        principal = current_principal()
        principal.require_write()
        household_id, person, joined_on = hq.parse_add(request, today=self._today())
        async with self._session(principal, write=True) as session:
            changed = await memberships.add_member(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                household_id=household_id,
                given=person,
                joined_on=joined_on,
                key=self._key,
                now=self._clock(),
            )
            return await self._reply(session, principal, changed)

    async def MoveMember(self, request: pb.MoveMemberRequest, context: Context) -> pb.Household:
        """A member moves to another household; returns the household they joined (audited)."""
        principal = current_principal()
        principal.require_write()
        move = hq.parse_move(request, today=self._today())
        async with self._session(principal, write=True) as session:
            changed = await memberships.move_member(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                move=move,
                key=self._key,
                now=self._clock(),
            )
            return await self._reply(session, principal, changed)

    async def RemoveMember(self, request: pb.RemoveMemberRequest, context: Context) -> pb.Household:
        """A member leaves the household (left, died, other); returns the household (audited)."""
        principal = current_principal()
        principal.require_write()
        leaving = hq.parse_remove(request, today=self._today())
        async with self._session(principal, write=True) as session:
            changed = await memberships.remove_member(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                leaving=leaving,
                key=self._key,
                now=self._clock(),
            )
            return await self._reply(session, principal, changed)

    async def RecordIncome(self, request: pb.RecordIncomeRequest, context: Context) -> pb.Income:
        """Record an income of a current member (audited)."""
        principal = current_principal()
        principal.require_write()
        new = hq.parse_income(request, today=self._today())
        async with self._db.unit_of_work() as session:
            row = await finances.record_income(
                session, actor=principal.subject, scopes=principal.regions, new=new, now=self._clock()
            )
            return hm.income_to_pb(row)

    async def RecordAsset(self, request: pb.RecordAssetRequest, context: Context) -> pb.Asset:
        """Record an asset valuation of a current member (audited)."""
        principal = current_principal()
        principal.require_write()
        new = hq.parse_asset(request, today=self._today())
        async with self._db.unit_of_work() as session:
            row = await finances.record_asset(
                session, actor=principal.subject, scopes=principal.regions, new=new, now=self._clock()
            )
            return hm.asset_to_pb(row)


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock, key: bytes) -> None:
    """Add the households servicer to the relief server."""
    households_pb2_grpc.add_HouseholdServiceServicer_to_server(
        HouseholdServicer(ctx, clock=clock, key=key), server
    )
