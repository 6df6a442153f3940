"""The child welfare gRPC servicer: take the request apart, validate, call one service function, map back.

Region scoping: a caller sees and changes only children under its region scopes (a village director's
token is scoped to the village, a town supervisor's to the town). Rows elsewhere are NOT_FOUND;
registering outside the scopes is PERMISSION_DENIED naming region_code. "Now" comes from the injected
clock (``spec.make_spec``), so tests move it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

import grpc
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from minzheng.childwelfare.v1 import childwelfare_pb2_grpc
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import children, files, mapping, network, rules, visits
from services.childwelfare.children import GuardianIn
from services.childwelfare.models import Child
from services.childwelfare.rules import NetworkRole, VisitPolicy
from services.kit.auth import WRITE_ROLES, Principal, Role
from services.kit.errors import Collector, PermissionDenied
from services.kit.grpc_server import current_principal
from services.kit.idcard import InvalidIdNumber, parse_id_number
from services.kit.regions import RegionTree
from services.kit.service import ServiceContext

Clock = Callable[[], datetime]
Loader = Callable[[AsyncSession], Awaitable[list[Child]]]
Context = grpc.aio.ServicerContext
FILTER_LEVELS = ("district", "town", "village")
# Village directors open files and keep guardians current for their own village.
FILE_ROLES = (*WRITE_ROLES, Role.VILLAGE_DIRECTOR)


def _guardians(errors: Collector, field: str, given: Sequence[pb.Guardian]) -> list[GuardianIn]:
    rules.check_guardian_count(errors, field, len(given))
    parsed = []
    for i, g in enumerate(given):
        at = f"{field}[{i}]"
        rules.check_text(errors, f"{at}.name", g.name, max_length=rules.MAX_NAME_LENGTH, required=True)
        rules.check_text(
            errors, f"{at}.contact", g.contact, max_length=rules.MAX_CONTACT_LENGTH, required=False
        )
        relation = mapping.RELATION_FROM_PB.get(g.relation)
        errors.check(relation is not None, f"{at}.relation", "is required" if not g.relation else "unknown")
        if relation is not None:
            parsed.append(GuardianIn(g.name.strip(), relation, g.contact.strip(), g.is_primary))
    return parsed


def _scope_of(principal: Principal, errors: Collector, raw: str) -> tuple[str, ...] | None:
    if raw:
        mapping.region_code(errors, "region_code", raw, levels=FILTER_LEVELS)
    errors.raise_if_any()
    return principal.narrow(raw.strip() or None)


class ChildWelfareServicer(childwelfare_pb2_grpc.ChildWelfareServiceServicer):
    """minzheng.childwelfare.v1.ChildWelfareService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, policy: VisitPolicy) -> None:
        self._ctx = ctx
        self._db = ctx.db
        self._clock = clock
        self._policy = policy

    async def _files(self, principal: Principal, load: Loader) -> tuple[list[pb.Child], list[str]]:
        """Load children and build their files in one session (a write when ID numbers are shown in clear)."""
        now = self._clock()
        reveal = principal.may_see_id_numbers
        session_of = self._db.unit_of_work if reveal else self._db.read
        async with session_of() as session:
            rows = await load(session)
            if reveal:
                await files.reveal(session, actor=principal.subject, children=rows, now=now)
            built = await files.assemble(session, rows, policy=self._policy, today=rules.china_today(now))
            # Each row's own keyset token resumes right after it (the gateway's edge cursors).
            cursors = [mapping.encode_page_token(r.region_code, r.id) for r in rows]
            return [mapping.child_to_pb(f, reveal_id=reveal) for f in built], cursors

    async def _file(self, principal: Principal, child: Child) -> pb.Child:
        async def load(_session: AsyncSession) -> list[Child]:
            return [child]

        return (await self._files(principal, load))[0][0]

    async def RegisterChild(self, request: pb.RegisterChildRequest, context: Context) -> pb.Child:
        """Open a child's file in a village inside the caller's regions."""
        principal = current_principal()
        principal.require_role(*FILE_ROLES)
        now = self._clock()
        today = rules.china_today(now)
        errors = Collector()
        child_id = None
        try:
            child_id = parse_id_number(request.id_number, today=today)
        except InvalidIdNumber as exc:
            errors.add("id_number", exc.reason)  # the reason never contains the number itself
        if child_id is not None and not rules.is_minor(child_id.birth_date, today):
            errors.add("id_number", "belongs to someone aged 18 or over; the registry is for children")
        rules.check_text(errors, "name", request.name, max_length=rules.MAX_NAME_LENGTH, required=True)
        region = mapping.region_code(errors, "region_code", request.region_code, levels=("village",))
        category = mapping.check_category(errors, "category", request.category, required=True)
        since = rules.parse_day(errors, "category_since", request.category_since, default=today)
        rules.check_not_future(errors, "category_since", since, today)
        if since is not None and child_id is not None and since < child_id.birth_date:
            errors.add("category_since", "must not be before the child was born")
        guardians = _guardians(errors, "guardians", request.guardians)
        errors.raise_if_any()
        assert child_id is not None and category is not None and since is not None
        if not principal.can_see(region):
            raise PermissionDenied(f"region_code: {region} is outside your regions")
        async with self._db.unit_of_work() as session:
            child = await children.register_child(
                session,
                actor=principal.subject,
                id_number=child_id,
                name=request.name.strip(),
                region_code=region,
                category=category,
                category_since=since,
                guardians=guardians,
                policy=self._policy,
                today=today,
                now=now,
            )
        self._ctx.notify_outbox()
        return await self._file(principal, child)

    async def GetChild(self, request: pb.GetChildRequest, context: Context) -> pb.Child:
        """One child's file, by id or ID number."""
        principal = current_principal()
        errors = Collector()
        errors.check(bool(request.id.strip() or request.id_number.strip()), "id", "give id or id_number")
        id_number = ""
        if request.id_number.strip() and not request.id.strip():
            try:
                id_number = parse_id_number(request.id_number).value
            except InvalidIdNumber as exc:
                errors.add("id_number", exc.reason)
        errors.raise_if_any()

        async def load(session: AsyncSession) -> list[Child]:
            return [
                await children.visible_child(
                    session,
                    scopes=principal.regions,
                    child_id=request.id.strip() or None,
                    id_number=id_number,
                )
            ]

        return (await self._files(principal, load))[0][0]

    async def ListChildren(
        self, request: pb.ListChildrenRequest, context: Context
    ) -> pb.ListChildrenResponse:
        """Children in the caller's regions (or one inside them), filtered, by pages in region order."""
        principal = current_principal()
        errors = Collector()
        category = mapping.check_category(errors, "category", request.category, required=False)
        limit = mapping.page_size(errors, "page.page_size", request.page.page_size)
        after = mapping.decode_page_token(errors, "page.page_token", request.page.page_token, size=2)
        scopes = _scope_of(principal, errors, request.region_code)
        where = files.ChildFilter(
            category=category,
            visit_overdue=request.visit_overdue,
            without_director=request.without_director,
            director_subject=request.director_subject.strip(),
            include_adults=request.include_adults,
        )
        today = rules.china_today(self._clock())
        page: dict[str, int | bool] = {}

        async def load(session: AsyncSession) -> list[Child]:
            rows, page["total"], page["more"] = await files.list_children(
                session,
                scopes=scopes or (),
                where=where,
                policy=self._policy,
                today=today,
                after=(after[0], after[1]) if after else None,
                limit=limit,
            )
            return rows

        built, cursors = await self._files(principal, load)
        more, total = bool(page["more"]), int(page["total"])
        return pb.ListChildrenResponse(
            children=built,
            page_info=mapping.page_info(cursors[-1] if more and cursors else "", total),
            cursors=cursors,
        )

    async def ChangeCategory(self, request: pb.ChangeCategoryRequest, context: Context) -> pb.Child:
        """Move a child to another category from a date (history kept)."""
        principal = current_principal()
        principal.require_write()
        now = self._clock()
        today = rules.china_today(now)
        errors = Collector()
        errors.check(bool(request.child_id.strip()), "child_id", "is required")
        category = mapping.check_category(errors, "category", request.category, required=True)
        start = rules.parse_day(errors, "effective_from", request.effective_from, default=today)
        rules.check_not_future(errors, "effective_from", start, today)
        rules.check_text(errors, "reason", request.reason, max_length=rules.MAX_REASON_LENGTH, required=False)
        errors.raise_if_any()
        assert category is not None and start is not None
        async with self._db.unit_of_work() as session:
            child = await children.change_category(
                session,
                actor=principal.subject,
                child_id=request.child_id.strip(),
                scopes=principal.regions,
                category=category,
                effective_from=start,
                reason=request.reason.strip(),
                today=today,
                now=now,
            )
        return await self._file(principal, child)

    async def SetGuardians(self, request: pb.SetGuardiansRequest, context: Context) -> pb.Child:
        """Replace a child's guardians."""
        principal = current_principal()
        principal.require_role(*FILE_ROLES)
        errors = Collector()
        errors.check(bool(request.child_id.strip()), "child_id", "is required")
        guardians = _guardians(errors, "guardians", request.guardians)
        errors.raise_if_any()
        async with self._db.unit_of_work() as session:
            child = await children.set_guardians(
                session,
                actor=principal.subject,
                child_id=request.child_id.strip(),
                scopes=principal.regions,
                guardians=guardians,
                now=self._clock(),
            )
        return await self._file(principal, child)

    async def _assign(
        self, request: pb.AssignDirectorRequest, role: NetworkRole, level: str
    ) -> pb.NetworkMember:
        principal = current_principal()
        principal.require_write()
        errors = Collector()
        region = mapping.region_code(errors, "region_code", request.region_code, levels=(level,))
        rules.check_text(
            errors, "subject", request.subject, max_length=rules.MAX_SUBJECT_LENGTH, required=True
        )
        rules.check_text(errors, "name", request.name, max_length=rules.MAX_NAME_LENGTH, required=True)
        rules.check_text(
            errors, "contact", request.contact, max_length=rules.MAX_CONTACT_LENGTH, required=False
        )
        errors.raise_if_any()
        if not principal.can_see(region):
            raise PermissionDenied(f"region_code: {region} is outside your regions")
        now = self._clock()
        async with self._db.unit_of_work() as session:
            member = await network.assign_member(
                session,
                actor=principal.subject,
                role=role,
                region_code=region,
                subject=request.subject.strip(),
                name=request.name.strip(),
                contact=request.contact.strip(),
                today=rules.china_today(now),
                now=now,
            )
            counts = await network.children_per_village(session, scopes=(region,))
        return mapping.member_to_pb(member, child_count=sum(counts.values()))

    async def AssignSupervisor(
        self, request: pb.AssignSupervisorRequest, context: Context
    ) -> pb.NetworkMember:
        """Make someone the town's child supervisor (督导员)."""
        as_director = pb.AssignDirectorRequest(
            region_code=request.region_code,
            subject=request.subject,
            name=request.name,
            contact=request.contact,
        )
        return await self._assign(as_director, NetworkRole.SUPERVISOR, "town")

    async def AssignDirector(self, request: pb.AssignDirectorRequest, context: Context) -> pb.NetworkMember:
        """Make someone the village's child director (儿童主任); the village's children move to them."""
        return await self._assign(request, NetworkRole.DIRECTOR, "village")

    async def ListNetwork(self, request: pb.ListNetworkRequest, context: Context) -> pb.ListNetworkResponse:
        """Current supervisors and directors in the caller's regions, with their children counts."""
        principal = current_principal()
        scopes = _scope_of(principal, Collector(), request.region_code) or ()
        async with self._db.read() as session:
            supervisors, directors, counts = await network.list_network(session, scopes=scopes)
            # Built inside the session: the read session's rollback expires loaded rows.
            return pb.ListNetworkResponse(
                supervisors=[
                    mapping.member_to_pb(m, child_count=counts.get(m.region_code, 0)) for m in supervisors
                ],
                directors=[
                    mapping.member_to_pb(m, child_count=counts.get(m.region_code, 0)) for m in directors
                ],
            )

    async def ListVillagesWithoutDirector(
        self, request: pb.ListVillagesWithoutDirectorRequest, context: Context
    ) -> pb.ListVillagesWithoutDirectorResponse:
        """Villages with children but no current child director."""
        principal = current_principal()
        scopes = _scope_of(principal, Collector(), request.region_code) or ()
        async with self._db.read() as session:
            found = await network.villages_without_director(session, scopes=scopes)
        return pb.ListVillagesWithoutDirectorResponse(
            villages=[pb.VillageWithoutDirector(region_code=c, child_count=n) for c, n in found.items()]
        )

    async def RecordVisit(self, request: pb.RecordVisitRequest, context: Context) -> pb.Visit:
        """Record a home visit made by the caller (the child's director or town supervisor)."""
        principal = current_principal()
        now = self._clock()
        today = rules.china_today(now)
        errors = Collector()
        errors.check(bool(request.child_id.strip()), "child_id", "is required")
        visited_on = rules.parse_day(errors, "visited_on", request.visited_on)
        rules.check_not_future(errors, "visited_on", visited_on, today)
        for field in ("living_conditions", "schooling", "guardianship", "notes"):
            rules.check_text(
                errors, field, getattr(request, field), max_length=rules.MAX_FINDING_LENGTH, required=False
            )
        risk = mapping.RISK_FROM_PB.get(request.risk_level)
        errors.check(risk is not None, "risk_level", "is required" if not request.risk_level else "unknown")
        errors.raise_if_any()
        assert visited_on is not None and risk is not None
        findings = visits.Findings(
            living_conditions=request.living_conditions.strip(),
            schooling=request.schooling.strip(),
            guardianship=request.guardianship.strip(),
            risk_level=risk,
            notes=request.notes.strip(),
        )
        async with self._db.unit_of_work() as session:
            visit = await visits.record_visit(
                session,
                actor=principal.subject,
                child_id=request.child_id.strip(),
                scopes=principal.regions,
                visited_on=visited_on,
                findings=findings,
                now=now,
            )
        self._ctx.notify_outbox()
        return mapping.visit_to_pb(visit)

    async def ListVisits(self, request: pb.ListVisitsRequest, context: Context) -> pb.ListVisitsResponse:
        """A child's visits, newest first, by pages."""
        principal = current_principal()
        errors = Collector()
        errors.check(bool(request.child_id.strip()), "child_id", "is required")
        limit = mapping.page_size(errors, "page.page_size", request.page.page_size)
        token = mapping.decode_page_token(errors, "page.page_token", request.page.page_token, size=1)
        offset = int(token[0]) if token and token[0].isdigit() else 0
        errors.raise_if_any()
        async with self._db.read() as session:
            rows, total, more = await visits.list_visits(
                session,
                child_id=request.child_id.strip(),
                scopes=principal.regions,
                offset=offset,
                limit=limit,
            )
            following = mapping.encode_page_token(str(offset + limit)) if more else ""
            return pb.ListVisitsResponse(
                visits=[mapping.visit_to_pb(v) for v in rows], page_info=mapping.page_info(following, total)
            )

    async def GetVisitCompliance(
        self, request: pb.GetVisitComplianceRequest, context: Context
    ) -> pb.GetVisitComplianceResponse:
        """Visit compliance today per village, town or director in the caller's regions."""
        principal = current_principal()
        scopes = _scope_of(principal, Collector(), request.region_code) or ()
        today = rules.china_today(self._clock())
        async with self._db.read() as session:
            tallies = await visits.village_tallies(session, scopes=scopes, policy=self._policy, today=today)
            members = await network.current_members(session, region_codes=list(tallies))
            directors = {village: (m.subject, m.name) for village, m in members.items()}
        tree = RegionTree.xiaoshan()
        names = {code: tree.get(code).name for code in {*tallies, *(c[:9] for c in tallies)} if code in tree}
        if request.group_by == pb.COMPLIANCE_GROUPING_TOWN:
            grouped = rules.roll_up(tallies, {v: v[:9] for v in tallies})
        elif request.group_by == pb.COMPLIANCE_GROUPING_DIRECTOR:
            # Villages without a director are grouped under the empty key, so they are never dropped.
            grouped = rules.roll_up(tallies, {v: directors[v][0] if v in directors else "" for v in tallies})
            names = dict(directors.values()) | {"": "(no director)"}
        else:
            grouped = tallies
        return pb.GetVisitComplianceResponse(
            rows=[mapping.compliance_row(k, names.get(k, ""), t) for k, t in sorted(grouped.items())],
            total=mapping.compliance_row("", "", rules.total(list(tallies.values()))),
            as_of=today.isoformat(),
        )
