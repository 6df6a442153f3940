"""The eldercare gRPC servicer: take the request apart, validate, call one service function, map back.

Region scoping: a caller sees and changes only rows under its region scopes. Rows elsewhere are
NOT_FOUND (their existence does not leak); registering outside the scopes is PERMISSION_DENIED.
"""

from __future__ import annotations

from datetime import UTC, datetime

import grpc
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from minzheng.eldercare.v1 import eldercare_pb2_grpc

from services.eldercare import assignments, beds, institutions, mapping, rules
from services.kit import paging, protoconv
from services.kit.errors import Collector
from services.kit.grpc_server import current_principal
from services.kit.idcard import IdNumber, InvalidIdNumber, parse_id_number
from services.kit.service import ServiceContext

MAX_INSTITUTIONS_PER_LIST_BEDS = 500
INSTITUTION_LEVELS = ("town", "village")
FILTER_LEVELS = ("district", "town", "village")

Context = grpc.aio.ServicerContext


def _now() -> datetime:
    return datetime.now(UTC)


def _elder(errors: Collector, field: str, raw: str) -> IdNumber | None:
    try:
        return parse_id_number(raw)
    except InvalidIdNumber as exc:
        errors.add(field, exc.reason)  # the reason never contains the number itself
        return None


def _required_id(errors: Collector, field: str, value: str) -> None:
    errors.check(bool(value.strip()), field, "is required")


class EldercareServicer(eldercare_pb2_grpc.EldercareServiceServicer):
    """minzheng.eldercare.v1.EldercareService."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._db = ctx.db

    async def RegisterInstitution(
        self, request: pb.RegisterInstitutionRequest, context: Context
    ) -> pb.Institution:
        """Register an institution in a town or village inside the caller's regions."""
        principal = current_principal()
        principal.require_write()
        errors = Collector()
        rules.check_text(errors, "name", request.name, max_length=rules.MAX_NAME_LENGTH, required=True)
        kind = mapping.KIND_FROM_PB.get(request.kind)
        errors.check(kind is not None, "kind", "must be public, private or rural_wubao")
        region = protoconv.region_code(errors, "region_code", request.region_code, levels=INSTITUTION_LEVELS)
        rules.check_star_rating(errors, "star_rating", request.star_rating)
        errors.raise_if_any()
        assert kind is not None
        principal.require_region(region, what="an institution")
        async with self._db.unit_of_work() as session:
            institution = await institutions.register_institution(
                session,
                actor=principal.subject,
                name=request.name.strip(),
                kind=kind,
                region_code=region,
                star_rating=request.star_rating,
                now=_now(),
            )
        return mapping.institution_to_pb(institution, beds.BedCounts())

    async def GetInstitution(self, request: pb.GetInstitutionRequest, context: Context) -> pb.Institution:
        """One institution with its bed numbers."""
        principal = current_principal()
        errors = Collector()
        _required_id(errors, "id", request.id)
        errors.raise_if_any()
        async with self._db.read() as session:
            institution = await institutions.get_institution(
                session, institution_id=request.id, scopes=principal.regions
            )
            counts = await beds.bed_counts(session, institution_ids=[institution.id])
            # Built inside the session: the read session's rollback expires loaded rows.
            return mapping.institution_to_pb(institution, counts.get(institution.id, beds.BedCounts()))

    async def ListInstitutions(
        self, request: pb.ListInstitutionsRequest, context: Context
    ) -> pb.ListInstitutionsResponse:
        """Institutions in the caller's regions (or one region inside them), oldest first, by pages."""
        principal = current_principal()
        errors = Collector()
        if request.region_code:
            protoconv.region_code(errors, "region_code", request.region_code, levels=FILTER_LEVELS)
        kind = mapping.KIND_FROM_PB.get(request.kind)
        errors.check(
            kind is not None or request.kind == pb.INSTITUTION_KIND_UNSPECIFIED, "kind", "unknown kind"
        )
        limit = paging.page_size(errors, "page.page_size", request.page.page_size)
        after = mapping.decode_page_token(errors, "page.page_token", request.page.page_token)
        errors.raise_if_any()
        scopes = principal.narrow(request.region_code.strip() or None)
        async with self._db.read() as session:
            rows, total, more = await institutions.list_institutions(
                session, scopes=scopes, kind=kind, after=after, limit=limit
            )
            counts = await beds.bed_counts(session, institution_ids=[r.id for r in rows])
            # Each row's own keyset token resumes right after it (the gateway's edge cursors).
            cursors = [mapping.encode_page_token(r.created_at, r.id) for r in rows]
            return pb.ListInstitutionsResponse(
                institutions=[mapping.institution_to_pb(r, counts.get(r.id, beds.BedCounts())) for r in rows],
                page_info=paging.page_info(cursors[-1] if more and rows else "", total),
                cursors=cursors,
            )

    async def AddBeds(self, request: pb.AddBedsRequest, context: Context) -> pb.AddBedsResponse:
        """Add 1..500 vacant beds of one type to an institution."""
        principal = current_principal()
        principal.require_write()
        errors = Collector()
        _required_id(errors, "institution_id", request.institution_id)
        bed_type = mapping.BED_TYPE_FROM_PB.get(request.type)
        errors.check(bed_type is not None, "type", "must be general, nursing, dementia_care or family_care")
        rules.check_bed_count(errors, "count", request.count)
        rules.check_label_prefix(errors, "label_prefix", request.label_prefix)
        errors.raise_if_any()
        assert bed_type is not None
        async with self._db.unit_of_work() as session:
            added = await beds.add_beds(
                session,
                actor=principal.subject,
                institution_id=request.institution_id,
                scopes=principal.regions,
                bed_type=bed_type,
                count=request.count,
                label_prefix=request.label_prefix,
                now=_now(),
            )
        return pb.AddBedsResponse(beds=[mapping.bed_to_pb(b, reveal_id=False) for b in added])

    async def ListBeds(self, request: pb.ListBedsRequest, context: Context) -> pb.ListBedsResponse:
        """Beds of up to 500 institutions in one query; occupants' ID numbers masked unless allowed."""
        principal = current_principal()
        errors = Collector()
        ids = list(dict.fromkeys(request.institution_ids))
        errors.check(
            1 <= len(ids) <= MAX_INSTITUTIONS_PER_LIST_BEDS,
            "institution_ids",
            f"give between 1 and {MAX_INSTITUTIONS_PER_LIST_BEDS} institution ids",
        )
        errors.check(all(i.strip() for i in ids), "institution_ids", "must not contain empty ids")
        status = mapping.BED_STATUS_FROM_PB.get(request.status)
        errors.check(status is not None or request.status == pb.BED_STATUS_UNSPECIFIED, "status", "unknown")
        bed_type = mapping.BED_TYPE_FROM_PB.get(request.type)
        errors.check(bed_type is not None or request.type == pb.BED_TYPE_UNSPECIFIED, "type", "unknown")
        errors.raise_if_any()
        reveal = principal.may_see_id_numbers
        found = await beds.read_beds(
            self._db,
            actor=principal.subject,
            reveal=reveal,
            institution_ids=ids,
            scopes=principal.regions,
            status=status,
            bed_type=bed_type,
            now=_now(),
        )
        return pb.ListBedsResponse(beds=[mapping.bed_to_pb(b, reveal_id=reveal) for b in found])

    async def AssignBed(self, request: pb.AssignBedRequest, context: Context) -> pb.Bed:
        """Give a vacant bed to an elder (ID number validated) who holds no other bed."""
        principal = current_principal()
        principal.require_write()
        errors = Collector()
        _required_id(errors, "bed_id", request.bed_id)
        elder = _elder(errors, "elder_id_number", request.elder_id_number)
        rules.check_text(
            errors, "elder_name", request.elder_name, max_length=rules.MAX_ELDER_NAME_LENGTH, required=True
        )
        errors.raise_if_any()
        assert elder is not None
        async with self._db.unit_of_work() as session:
            bed = await assignments.assign_bed(
                session,
                actor=principal.subject,
                bed_id=request.bed_id,
                scopes=principal.regions,
                elder=elder,
                elder_name=request.elder_name.strip(),
                now=_now(),
            )
        self._ctx.notify_outbox()
        return mapping.bed_to_pb(bed, reveal_id=principal.may_see_id_numbers)

    async def ReleaseBed(self, request: pb.ReleaseBedRequest, context: Context) -> pb.Bed:
        """Free an occupied bed, recording why."""
        principal = current_principal()
        principal.require_write()
        errors = Collector()
        _required_id(errors, "bed_id", request.bed_id)
        rules.check_text(errors, "reason", request.reason, max_length=rules.MAX_REASON_LENGTH, required=False)
        errors.raise_if_any()
        async with self._db.unit_of_work() as session:
            bed = await assignments.release_bed(
                session,
                actor=principal.subject,
                bed_id=request.bed_id,
                scopes=principal.regions,
                reason=request.reason.strip(),
                now=_now(),
            )
        self._ctx.notify_outbox()
        return mapping.bed_to_pb(bed, reveal_id=False)

    async def GetOccupancy(self, request: pb.GetOccupancyRequest, context: Context) -> pb.Occupancy:
        """Beds and occupied beds by type in the caller's regions (or one region inside them)."""
        principal = current_principal()
        errors = Collector()
        if request.region_code:
            protoconv.region_code(errors, "region_code", request.region_code, levels=FILTER_LEVELS)
        errors.raise_if_any()
        scopes = principal.narrow(request.region_code.strip() or None)
        async with self._db.read() as session:
            counts = await beds.occupancy(session, scopes=scopes)
        total = sum(c.total for c in counts.values())
        occupied = sum(c.occupied for c in counts.values())
        return pb.Occupancy(
            # What the numbers cover: a broader request is narrowed to the caller's scope.
            region_code=scopes[0] if len(scopes) == 1 else request.region_code.strip(),
            total=total,
            occupied=occupied,
            rate=rules.occupancy_rate(occupied, total),
            by_type=[
                pb.OccupancyByType(type=mapping.BED_TYPE_TO_PB[t], total=c.total, occupied=c.occupied)
                for t, c in counts.items()
            ],
        )
