"""Adoptions, children's homes and protection stations over the real gRPC socket, on both backends."""

from __future__ import annotations

from datetime import date, timedelta

import grpc
import pytest
from minzheng.childwelfare.v1 import facilities_pb2 as fpb
from minzheng.childwelfare.v1.facilities_pb2_grpc import ChildFacilitiesServiceStub

from services.childwelfare import demo_facilities
from services.kit.auth import Role
from services.kit.idcard import make_id_number
from tests.contract.childwelfare.conftest import (
    ADMIN,
    CODEC,
    DIRECTOR,
    OTHER_TOWN,
    OTHER_TOWN_OFFICER,
    OTHER_VILLAGE,
    TOWN,
    TOWN_OFFICER,
    VIEWER,
    VILLAGE,
    VILLAGE_2,
    ChildWelfare,
    child_number,
    md,
    register,
    rpc_error,
    violated_fields,
)

DISTRICT_OFFICER = CODEC.mint("district-officer", roles=[Role.DISTRICT_OFFICER], regions=["330109"])
FATHER = make_id_number(birth_date=date(1988, 3, 2), sequence=11)  # 37 on 15 June 2025
MOTHER = make_id_number(birth_date=date(1990, 7, 9), sequence=12)  # 34
YOUNG = make_id_number(birth_date=date(1996, 1, 1), sequence=13)  # 29
GIRL = child_number(402, born=date(2020, 4, 1))  # 5, female (even sequence)


def stub(cw: ChildWelfare) -> ChildFacilitiesServiceStub:
    """The facilities service on the running child welfare server."""
    return ChildFacilitiesServiceStub(cw.channel)


def adopter(number: str, name: str = "王收养", relation: int = fpb.ADOPTER_RELATION_OTHER) -> fpb.Adopter:
    """An adopter as the caller gives one."""
    return fpb.Adopter(name=name, id_number=number, relation=relation)  # type: ignore[arg-type]


async def apply(
    cw: ChildWelfare, *, child: str = GIRL, adopters: list[fpb.Adopter] | None = None, token: str = ADMIN
) -> fpb.Adoption:
    """An application for a child given by ID number, in VILLAGE."""
    request = fpb.RegisterAdoptionRequest(
        child_id_number=child,
        child_name="萧小禾",
        region_code=VILLAGE,
        adopters=adopters if adopters is not None else [adopter(FATHER, "王父"), adopter(MOTHER, "李母")],
    )
    return await stub(cw).RegisterAdoption(request, metadata=md(token))


async def assess(
    cw: ChildWelfare, adoption_id: str, result: int = fpb.ASSESSMENT_RESULT_SUITABLE
) -> fpb.Adoption:
    """Record the assessment."""
    request = fpb.RecordAdoptionAssessmentRequest(
        adoption_id=adoption_id,
        result=result,
        assessed_by="萧山区收养评估中心",
        notes="home visit done",  # type: ignore[arg-type]
    )
    return await stub(cw).RecordAdoptionAssessment(request, metadata=md(ADMIN))


async def complete(cw: ChildWelfare, adoption_id: str, outcome: int, **fields: str) -> fpb.Adoption:
    """Register, refuse or withdraw."""
    request = fpb.CompleteAdoptionRequest(adoption_id=adoption_id, outcome=outcome, **fields)  # type: ignore[arg-type]
    return await stub(cw).CompleteAdoption(request, metadata=md(DISTRICT_OFFICER))


async def test_an_adoption_goes_from_application_through_assessment_to_registration(cw: ChildWelfare) -> None:
    applied = await apply(cw)
    assert applied.status == fpb.ADOPTION_STATUS_APPLIED and applied.applied_on == "2025-06-15"
    assert applied.child_id_number == GIRL and applied.child_age_on_application == 5
    assert [(a.name, a.age_on_application) for a in applied.adopters] == [("王父", 37), ("李母", 34)]
    assert not applied.HasField("assessment")
    assessed = await assess(cw, applied.id)
    assert assessed.status == fpb.ADOPTION_STATUS_ASSESSED
    assert assessed.assessment.result == fpb.ASSESSMENT_RESULT_SUITABLE
    assert assessed.assessment.assessed_by == "萧山区收养评估中心"
    done = await complete(cw, applied.id, fpb.ADOPTION_OUTCOME_REGISTER, certificate_number="330109-2025-001")
    assert done.status == fpb.ADOPTION_STATUS_REGISTERED and done.certificate_number == "330109-2025-001"
    assert done.decided_on == "2025-06-15"
    # A town officer reads it with every ID number masked; the admin's clear reads were audited.
    seen = await stub(cw).GetAdoption(fpb.GetAdoptionRequest(id=applied.id), metadata=md(TOWN_OFFICER))
    assert seen.child_id_number == "330109********" + GIRL[-4:]
    assert all("*" in a.id_number for a in seen.adopters)
    # Nor the birth dates, which are the masked middles of those numbers.
    assert seen.child_birth_date == "" and all(a.birth_date == "" for a in seen.adopters)
    assert await cw.count("audit_log WHERE action = 'adoption.read-id-number'") >= 3
    # Once registered the child cannot be adopted again.
    error = await rpc_error(apply(cw))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS and "child_id_number" in (error.details() or "")


async def test_a_registered_childs_adoption_takes_the_child_and_region_from_the_file(
    cw: ChildWelfare,
) -> None:
    child = await register(cw, child_number(403, born=date(2019, 2, 2)), name="萧小苗", region=VILLAGE_2)
    request = fpb.RegisterAdoptionRequest(child_id=child.id, adopters=[adopter(FATHER)])
    made = await stub(cw).RegisterAdoption(request, metadata=md(ADMIN))
    assert (made.child_id, made.child_name, made.region_code) == (child.id, "萧小苗", VILLAGE_2)
    error = await rpc_error(
        stub(cw).RegisterAdoption(
            fpb.RegisterAdoptionRequest(child_id=child.id, region_code=VILLAGE, adopters=[adopter(MOTHER)]),
            metadata=md(ADMIN),
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {"region_code"}


async def test_an_unsuitable_assessment_cannot_be_registered_but_can_be_refused(cw: ChildWelfare) -> None:
    applied = await apply(cw)
    await assess(cw, applied.id, fpb.ASSESSMENT_RESULT_UNSUITABLE)
    error = await rpc_error(complete(cw, applied.id, fpb.ADOPTION_OUTCOME_REGISTER, certificate_number="C-1"))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {"outcome"}
    got = await stub(cw).GetAdoption(fpb.GetAdoptionRequest(id=applied.id), metadata=md(ADMIN))
    assert got.status == fpb.ADOPTION_STATUS_ASSESSED and got.certificate_number == ""
    error = await rpc_error(complete(cw, applied.id, fpb.ADOPTION_OUTCOME_REFUSE))
    assert violated_fields(error) == {"reason"}
    refused = await complete(cw, applied.id, fpb.ADOPTION_OUTCOME_REFUSE, reason="评估不适合")
    assert refused.status == fpb.ADOPTION_STATUS_REFUSED and refused.decision_reason == "评估不适合"
    # A refused adoption is over: the child may be applied for again.
    again = await apply(cw)
    assert again.status == fpb.ADOPTION_STATUS_APPLIED and await cw.count("adoption_registration") == 2


async def test_completing_an_application_that_was_not_assessed_is_refused_naming_the_outcome(
    cw: ChildWelfare,
) -> None:
    applied = await apply(cw)
    error = await rpc_error(complete(cw, applied.id, fpb.ADOPTION_OUTCOME_REGISTER, certificate_number="C-2"))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {"outcome"}
    got = await stub(cw).GetAdoption(fpb.GetAdoptionRequest(id=applied.id), metadata=md(ADMIN))
    assert got.status == fpb.ADOPTION_STATUS_APPLIED
    withdrawn = await complete(cw, applied.id, fpb.ADOPTION_OUTCOME_WITHDRAW)
    assert withdrawn.status == fpb.ADOPTION_STATUS_WITHDRAWN


@pytest.mark.parametrize(
    ("adopters", "child", "fields"),
    [
        ([adopter(YOUNG)], GIRL, {"adopters[0].id_number"}),  # 29: under 30
        (
            [adopter(FATHER), adopter("330109198803020110")],
            GIRL,
            {"adopters[1].id_number"},
        ),  # bad check digit
        ([adopter(FATHER), adopter(MOTHER)], child_number(404, born=date(2007, 6, 1)), {"child_id_number"}),
        ([adopter(FATHER)], "12345", {"child_id_number"}),
        ([], GIRL, {"adopters"}),
        ([adopter(FATHER), adopter(MOTHER), adopter(YOUNG)], GIRL, {"adopters"}),
        ([fpb.Adopter(name="", id_number=FATHER)], GIRL, {"adopters[0].name", "adopters[0].relation"}),
    ],
)
async def test_bad_applications_name_the_field_and_write_nothing(
    cw: ChildWelfare, adopters: list[fpb.Adopter], child: str, fields: set[str]
) -> None:
    error = await rpc_error(apply(cw, child=child, adopters=adopters))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(error) == fields
    assert await cw.count("adoption_registration") == 0 and await cw.count("adopter") == 0


async def test_a_single_man_adopting_a_girl_must_be_forty_years_older_unless_a_relative(
    cw: ChildWelfare,
) -> None:
    man = make_id_number(birth_date=date(1985, 1, 1), sequence=15)  # 35 years older than the girl
    error = await rpc_error(apply(cw, adopters=[adopter(man)]))
    assert violated_fields(error) == {"adopters[0].id_number"} and "40" in (error.details() or "")
    assert await cw.count("adoption_registration") == 0
    made = await apply(cw, adopters=[adopter(man, relation=fpb.ADOPTER_RELATION_RELATIVE)])
    assert made.status == fpb.ADOPTION_STATUS_APPLIED


async def test_adoptions_are_district_work_read_by_town_officers_and_hidden_from_others(
    cw: ChildWelfare,
) -> None:
    error = await rpc_error(apply(cw, token=TOWN_OFFICER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    made = await apply(cw)
    for token in (DIRECTOR, VIEWER):
        error = await rpc_error(stub(cw).ListAdoptions(fpb.ListAdoptionsRequest(), metadata=md(token)))
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    error = await rpc_error(
        stub(cw).GetAdoption(fpb.GetAdoptionRequest(id=made.id), metadata=md(OTHER_TOWN_OFFICER))
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    listed = await stub(cw).ListAdoptions(fpb.ListAdoptionsRequest(), metadata=md(OTHER_TOWN_OFFICER))
    assert list(listed.adoptions) == [] and listed.page_info.total_count == 0


async def test_adoptions_are_listed_by_status_in_pages(cw: ChildWelfare) -> None:
    ids = []
    for seq in range(410, 415):
        ids.append((await apply(cw, child=child_number(seq), adopters=[adopter(FATHER), adopter(MOTHER)])).id)
    await assess(cw, ids[0])
    seen, token = [], ""
    while True:
        page = await stub(cw).ListAdoptions(
            fpb.ListAdoptionsRequest(
                status=fpb.ADOPTION_STATUS_APPLIED,
                page={"page_size": 2, "page_token": token},  # type: ignore[arg-type]
            ),
            metadata=md(TOWN_OFFICER),
        )
        assert page.page_info.total_count == 4 and len(page.cursors) == len(page.adoptions)
        seen += [a.id for a in page.adoptions]
        token = page.page_info.next_page_token
        if not token:
            break
    assert sorted(seen) == sorted(ids[1:])


async def open_home(
    cw: ChildWelfare,
    village: str = VILLAGE,
    level: int = fpb.CHILDREN_HOME_LEVEL_BASIC,
    tier: int = fpb.DEMONSTRATION_TIER_UNSPECIFIED,
    *,
    token: str = ADMIN,
) -> fpb.ChildrenHome:
    """Open a children's home."""
    request = fpb.OpenChildrenHomeRequest(region_code=village, name="湘湖儿童之家", level=level, tier=tier)  # type: ignore[arg-type]
    return await stub(cw).OpenChildrenHome(request, metadata=md(token))


async def test_a_homes_level_changes_are_kept_as_history(cw: ChildWelfare) -> None:
    home = await open_home(cw, token=TOWN_OFFICER)
    assert home.open and home.level == fpb.CHILDREN_HOME_LEVEL_BASIC and len(home.level_history) == 1
    cw.clock.now += timedelta(days=30)
    changed = await stub(cw).ChangeChildrenHomeLevel(
        fpb.ChangeChildrenHomeLevelRequest(
            home_id=home.id,
            level=fpb.CHILDREN_HOME_LEVEL_DEMONSTRATION,
            tier=fpb.DEMONSTRATION_TIER_CITY,
            reason="市级示范创建",
        ),
        metadata=md(TOWN_OFFICER),
    )
    assert (changed.level, changed.tier) == (
        fpb.CHILDREN_HOME_LEVEL_DEMONSTRATION,
        fpb.DEMONSTRATION_TIER_CITY,
    )
    assert [(p.level, p.effective_from, p.effective_to) for p in changed.level_history] == [
        (fpb.CHILDREN_HOME_LEVEL_BASIC, "2025-06-15", "2025-07-15"),
        (fpb.CHILDREN_HOME_LEVEL_DEMONSTRATION, "2025-07-15", ""),
    ]
    demo = await stub(cw).ListChildrenHomes(
        fpb.ListChildrenHomesRequest(level=fpb.CHILDREN_HOME_LEVEL_DEMONSTRATION), metadata=md(VIEWER)
    )
    assert [h.id for h in demo.homes] == [home.id]


async def test_a_tier_needs_a_demonstration_home_and_bad_input_writes_nothing(cw: ChildWelfare) -> None:
    error = await rpc_error(open_home(cw, tier=fpb.DEMONSTRATION_TIER_PROVINCE))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {"tier"}
    error = await rpc_error(open_home(cw, village=TOWN, level=fpb.CHILDREN_HOME_LEVEL_UNSPECIFIED))
    assert violated_fields(error) == {"region_code", "level"}
    assert await cw.count("children_home") == 0 and await cw.count("children_home_level") == 0
    error = await rpc_error(open_home(cw, token=DIRECTOR))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    error = await rpc_error(open_home(cw, token=OTHER_TOWN_OFFICER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED and await cw.count("children_home") == 0


async def test_a_village_has_one_open_home_and_may_open_another_after_closing(cw: ChildWelfare) -> None:
    first = await open_home(cw)
    error = await rpc_error(open_home(cw))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS and await cw.count("children_home") == 1
    error = await rpc_error(
        stub(cw).CloseChildrenHome(
            fpb.CloseChildrenHomeRequest(home_id=first.id), metadata=md(OTHER_TOWN_OFFICER)
        )
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    cw.clock.now += timedelta(days=10)
    closed = await stub(cw).CloseChildrenHome(
        fpb.CloseChildrenHomeRequest(home_id=first.id, reason="场地拆迁"), metadata=md(ADMIN)
    )
    assert (
        not closed.open
        and closed.closed_on == "2025-06-25"
        and closed.level_history[-1].effective_to == "2025-06-25"
    )
    second = await open_home(cw)
    assert second.id != first.id
    listed = await stub(cw).ListChildrenHomes(
        fpb.ListChildrenHomesRequest(region_code=TOWN), metadata=md(DIRECTOR)
    )
    assert [h.id for h in listed.homes] == [second.id]
    everything = await stub(cw).ListChildrenHomes(
        fpb.ListChildrenHomesRequest(include_closed=True), metadata=md(DIRECTOR)
    )
    assert {h.id for h in everything.homes} == {first.id, second.id}


async def test_a_town_has_one_protection_station(cw: ChildWelfare) -> None:
    request = fpb.OpenProtectionStationRequest(
        region_code=TOWN, name="城厢街道未成年人保护工作站", staff_count=3
    )
    station = await stub(cw).OpenProtectionStation(request, metadata=md(TOWN_OFFICER))
    assert (station.region_code, station.staff_count, station.opened_on) == (TOWN, 3, "2025-06-15")
    error = await rpc_error(stub(cw).OpenProtectionStation(request, metadata=md(ADMIN)))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    bad = fpb.OpenProtectionStationRequest(
        region_code=VILLAGE, name="", staff_count=-1, opened_on="2030-01-01"
    )
    error = await rpc_error(stub(cw).OpenProtectionStation(bad, metadata=md(ADMIN)))
    assert violated_fields(error) == {"region_code", "name", "staff_count", "opened_on"}
    assert await cw.count("protection_station") == 1
    listed = await stub(cw).ListProtectionStations(fpb.ListProtectionStationsRequest(), metadata=md(VIEWER))
    assert [s.id for s in listed.stations] == [station.id]
    other = await stub(cw).ListProtectionStations(
        fpb.ListProtectionStationsRequest(), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert list(other.stations) == []


async def test_coverage_counts_villages_with_an_open_home_and_towns_with_a_station(cw: ChildWelfare) -> None:
    await open_home(cw, VILLAGE, fpb.CHILDREN_HOME_LEVEL_DEMONSTRATION, fpb.DEMONSTRATION_TIER_PROVINCE)
    closing = await open_home(cw, VILLAGE_2)
    await open_home(cw, OTHER_VILLAGE)
    await stub(cw).OpenProtectionStation(
        fpb.OpenProtectionStationRequest(region_code=TOWN, name="城厢未保站", staff_count=2),
        metadata=md(ADMIN),
    )
    reply = await stub(cw).GetFacilityCoverage(fpb.GetFacilityCoverageRequest(), metadata=md(VIEWER))
    towns = {t.town_code: t for t in reply.towns}
    assert len(towns) == 22 and reply.as_of == "2025-06-15"
    town = towns[TOWN]
    assert (town.has_station, town.village_count, town.villages_with_home, town.demonstration_homes) == (
        True,
        5,
        2,
        1,
    )
    assert town.home_rate == pytest.approx(0.4) and town.town_name == "城厢街道"
    assert (towns[OTHER_TOWN].has_station, towns[OTHER_TOWN].villages_with_home) == (False, 1)
    assert (reply.towns_with_station, reply.towns_with_home, reply.towns_fully_covered) == (1, 2, 0)
    cw.clock.now += timedelta(days=1)
    await stub(cw).CloseChildrenHome(fpb.CloseChildrenHomeRequest(home_id=closing.id), metadata=md(ADMIN))
    mine = await stub(cw).GetFacilityCoverage(fpb.GetFacilityCoverageRequest(), metadata=md(DIRECTOR))
    assert [(t.town_code, t.has_station, t.village_count, t.villages_with_home) for t in mine.towns] == [
        (TOWN, True, 1, 1)
    ]
    town_view = await stub(cw).GetFacilityCoverage(
        fpb.GetFacilityCoverageRequest(region_code=TOWN), metadata=md(TOWN_OFFICER)
    )
    assert [(t.village_count, t.villages_with_home) for t in town_view.towns] == [(5, 1)]
    error = await rpc_error(
        stub(cw).GetFacilityCoverage(
            fpb.GetFacilityCoverageRequest(region_code=OTHER_TOWN), metadata=md(TOWN_OFFICER)
        )
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_the_demo_loads_homes_stations_and_adoptions_once(cw: ChildWelfare) -> None:
    await demo_facilities.load(cw.channel, CODEC, today=date(2025, 6, 15))
    counts = {t: await cw.count(t) for t in ("children_home", "protection_station", "adoption_registration")}
    assert counts["children_home"] > 10 and counts["protection_station"] == 5
    assert counts["adoption_registration"] == 3
    await demo_facilities.load(cw.channel, CODEC, today=date(2025, 6, 15))
    assert {t: await cw.count(t) for t in counts} == counts
    statuses = await stub(cw).ListAdoptions(fpb.ListAdoptionsRequest(), metadata=md(ADMIN))
    assert sorted(a.status for a in statuses.adoptions) == [
        fpb.ADOPTION_STATUS_ASSESSED,
        fpb.ADOPTION_STATUS_REGISTERED,
        fpb.ADOPTION_STATUS_REFUSED,
    ]
