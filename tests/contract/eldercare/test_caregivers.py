"""Certified caregivers over the real gRPC socket, on both backends: registration, leavers, lists, counts."""

from __future__ import annotations

import grpc
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import caregivers_pb2 as pb

from tests.contract.eldercare.community_support import VILLAGE, Community, community
from tests.contract.eldercare.conftest import (
    ADMIN,
    OTHER_TOWN,
    OTHER_TOWN_OFFICER,
    TOWN,
    TOWN_OFFICER,
    VIEWER,
    md,
    rpc_error,
    violated_fields,
)

__all__ = ["community"]
L = pb.CaregiverLevel


async def caregiver(
    svc: Community,
    certificate: str,
    *,
    level: pb.CaregiverLevel.ValueType = L.CAREGIVER_LEVEL_JUNIOR,
    institution: str = "",
    employer: str = "",
    region: str = "",
    token: str = ADMIN,
) -> pb.Caregiver:
    """Register a caregiver (with an institution, or another employer's name and region)."""
    return await svc.caregivers.RegisterCaregiver(
        pb.RegisterCaregiverRequest(
            certificate_number=certificate,
            name="陈护理",
            level=level,
            certified_on="2024-11-20",
            employer_institution_id=institution,
            employer_name=employer,
            region_code=region,
        ),
        metadata=md(token),
    )


async def test_a_caregiver_of_an_institution_takes_its_name_and_region(community: Community) -> None:
    home = await community.add_institution()
    made = await caregiver(community, "HL-2024-0001", institution=home, level=L.CAREGIVER_LEVEL_SENIOR)
    assert (made.employer_institution_id, made.employer_name, made.region_code) == (
        home,
        "城厢街道颐养院",
        TOWN,
    )
    assert made.active and made.level == L.CAREGIVER_LEVEL_SENIOR
    other = await caregiver(community, "HL-2024-0002", employer="萧山区康护到家服务中心", region=VILLAGE)
    assert (other.employer_institution_id, other.region_code) == ("", VILLAGE)
    assert await community.count("audit_log") >= 3  # the institution and two caregivers


async def test_a_certificate_number_is_registered_once(community: Community) -> None:
    await caregiver(community, "HL-2024-0001", employer="康护中心", region=TOWN)
    error = await rpc_error(caregiver(community, "HL-2024-0001", employer="另一家", region=TOWN))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    assert await community.count("caregiver") == 1


async def test_bad_registrations_are_refused_naming_each_field_and_nothing_is_written(
    community: Community,
) -> None:
    before = await community.counts("caregiver")
    error = await rpc_error(
        community.caregivers.RegisterCaregiver(
            pb.RegisterCaregiverRequest(certificate_number="x", certified_on="2099-01-01", region_code="33"),
            metadata=md(ADMIN),
        )
    )
    assert violated_fields(error) == {
        "certificate_number",
        "name",
        "level",
        "certified_on",
        "employer_name",
        "region_code",
    }
    error = await rpc_error(
        caregiver(community, "HL-0003", institution="some-id", employer="both", region=TOWN)
    )
    assert violated_fields(error) == {"employer_name", "region_code"}
    error = await rpc_error(caregiver(community, "HL-0003", institution="no-such-institution"))
    assert error.code() == grpc.StatusCode.NOT_FOUND and "employer_institution_id" in (error.details() or "")
    assert await community.counts("caregiver") == before


async def test_caregivers_are_scoped_to_the_callers_regions(community: Community) -> None:
    await caregiver(community, "HL-0001", employer="康护中心", region=TOWN, token=TOWN_OFFICER)
    error = await rpc_error(
        caregiver(community, "HL-0002", employer="康护中心", region=OTHER_TOWN, token=TOWN_OFFICER)
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    error = await rpc_error(caregiver(community, "HL-0003", employer="康护中心", region=TOWN, token=VIEWER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    theirs = await community.caregivers.ListCaregivers(
        pb.ListCaregiversRequest(), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert theirs.page_info.total_count == 0
    counts = await community.caregivers.GetCaregiverCounts(
        pb.GetCaregiverCountsRequest(), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert counts.active == 0 and not counts.HasField("senior_share")


async def test_a_leaver_is_kept_but_no_longer_counted(community: Community) -> None:
    made = await caregiver(
        community, "HL-0001", employer="康护中心", region=TOWN, level=L.CAREGIVER_LEVEL_TECHNICIAN
    )
    left = await community.caregivers.RecordCaregiverLeft(
        pb.RecordCaregiverLeftRequest(caregiver_id=made.id, reason="退休"), metadata=md(TOWN_OFFICER)
    )
    assert not left.active and left.left_on == "2025-06-15" and left.left_reason == "退休"
    error = await rpc_error(
        community.caregivers.RecordCaregiverLeft(
            pb.RecordCaregiverLeftRequest(caregiver_id=made.id), metadata=md(ADMIN)
        )
    )
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    other = await caregiver(community, "HL-0002", employer="康护中心", region=TOWN)
    error = await rpc_error(
        community.caregivers.RecordCaregiverLeft(
            pb.RecordCaregiverLeftRequest(caregiver_id=other.id, left_on="2024-01-01"), metadata=md(ADMIN)
        )
    )
    assert violated_fields(error) == {"left_on"}  # before the certification
    await community.caregivers.RecordCaregiverLeft(
        pb.RecordCaregiverLeftRequest(caregiver_id=other.id), metadata=md(ADMIN)
    )
    active = await community.caregivers.ListCaregivers(pb.ListCaregiversRequest(), metadata=md(VIEWER))
    every = await community.caregivers.ListCaregivers(
        pb.ListCaregiversRequest(include_left=True), metadata=md(VIEWER)
    )
    assert (active.page_info.total_count, every.page_info.total_count) == (0, 2)
    counts = await community.caregivers.GetCaregiverCounts(
        pb.GetCaregiverCountsRequest(), metadata=md(VIEWER)
    )
    assert counts.active == 0


async def test_counts_per_level_and_the_senior_share(community: Community) -> None:
    levels = [
        L.CAREGIVER_LEVEL_JUNIOR,
        L.CAREGIVER_LEVEL_JUNIOR,
        L.CAREGIVER_LEVEL_INTERMEDIATE,
        L.CAREGIVER_LEVEL_SENIOR,
        L.CAREGIVER_LEVEL_SENIOR_TECHNICIAN,
    ]
    for n, level in enumerate(levels):
        await caregiver(community, f"HL-{n:04d}", employer="康护中心", region=TOWN, level=level)
    await caregiver(
        community, "HL-9999", employer="北干康护", region=OTHER_TOWN, level=L.CAREGIVER_LEVEL_TECHNICIAN
    )
    counts = await community.caregivers.GetCaregiverCounts(
        pb.GetCaregiverCountsRequest(region_code=TOWN), metadata=md(ADMIN)
    )
    assert [(c.level, c.count) for c in counts.levels] == [
        (L.CAREGIVER_LEVEL_JUNIOR, 2),
        (L.CAREGIVER_LEVEL_INTERMEDIATE, 1),
        (L.CAREGIVER_LEVEL_SENIOR, 1),
        (L.CAREGIVER_LEVEL_TECHNICIAN, 0),
        (L.CAREGIVER_LEVEL_SENIOR_TECHNICIAN, 1),
    ]
    assert (counts.active, counts.senior_or_above, counts.senior_share) == (5, 2, 0.4)
    everyone = await community.caregivers.GetCaregiverCounts(
        pb.GetCaregiverCountsRequest(), metadata=md(ADMIN)
    )
    assert (everyone.active, everyone.senior_or_above) == (6, 3)


async def test_caregivers_list_by_level_and_page_by_keyset(community: Community) -> None:
    for n in range(5):
        await caregiver(
            community, f"HL-{n:04d}", employer="康护中心", region=TOWN, level=L.CAREGIVER_LEVEL_INTERMEDIATE
        )
    await caregiver(community, "HL-0099", employer="康护中心", region=TOWN, level=L.CAREGIVER_LEVEL_SENIOR)
    seen: list[str] = []
    token = ""
    while True:
        page = await community.caregivers.ListCaregivers(
            pb.ListCaregiversRequest(
                level=L.CAREGIVER_LEVEL_INTERMEDIATE,
                page=common_pb2.PageRequest(page_size=2, page_token=token),
            ),
            metadata=md(VIEWER),
        )
        assert page.page_info.total_count == 5 and len(page.cursors) == len(page.caregivers)
        seen.extend(c.certificate_number for c in page.caregivers)
        token = page.page_info.next_page_token
        if not token:
            break
    assert sorted(seen) == [f"HL-{n:04d}" for n in range(5)]
    error = await rpc_error(
        community.caregivers.ListCaregivers(
            pb.ListCaregiversRequest(page=common_pb2.PageRequest(page_size=-1, page_token="x")),
            metadata=md(VIEWER),
        )
    )
    assert violated_fields(error) == {"page.page_size", "page.page_token"}
