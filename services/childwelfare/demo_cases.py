"""Demo protection cases (五位一体) through the public gRPC API, so each also puts its events on the stream.

A handful of cases in several states across the first demo towns: one report phoned in to the hotline
the night before last and never answered (the escalation job publishes protection-case-escalated for it at its
next scan), a fresh report, one being assessed, a temporary guardianship (临时监护) with a placement and
a case conference, one being monitored, and one closed at assessment. Running it again adds nothing:
cases are recognised by the child's name in the district's case list.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import grpc
from minzheng.childwelfare.v1 import protection_pb2 as pb
from minzheng.childwelfare.v1.protection_pb2_grpc import ProtectionCaseServiceStub

from services.childwelfare.rules import CHINA_TZ
from services.kit.auth import Role, TokenCodec
from services.kit.grpc_client import auth_metadata
from services.kit.regions import RegionTree

log = logging.getLogger(__name__)

DISTRICT = "330109"
TOWNS = ("330109001", "330109002", "330109003")
Metadata = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DemoCase:
    """One demo case: who, where (town index), what, and how far it has gone."""

    child_name: str
    town: int
    source: int
    concern: int
    description: str
    steps: tuple[pb.AdvanceCaseRequest, ...] = ()
    hours_ago: int = 0


def _step(to: int, note: str, **more: object) -> pb.AdvanceCaseRequest:
    return pb.AdvanceCaseRequest(to_state=to, note=note, **more)  # type: ignore[arg-type]


def _cases(today: date) -> list[DemoCase]:
    placement = pb.Placement(
        kind=pb.PLACEMENT_KIND_INSTITUTION, name="萧山区未成年人救助保护中心", start_on=today.isoformat()
    )
    return [
        DemoCase(
            "周小雨",
            0,
            pb.REPORT_SOURCE_HOTLINE,
            pb.CONCERN_KIND_UNATTENDED,
            "夜间热线：孩子独自在家两天",
            hours_ago=30,
        ),
        DemoCase("吴小峰", 1, pb.REPORT_SOURCE_NEIGHBOUR, pb.CONCERN_KIND_NEGLECT, "邻居反映孩子常饿肚子"),
        DemoCase(
            "陈小乐",
            2,
            pb.REPORT_SOURCE_SCHOOL,
            pb.CONCERN_KIND_ABUSE,
            "班主任发现手臂多处淤青",
            (_step(pb.CASE_STATE_ASSESSING, "镇未保站与派出所上门核实"),),
        ),
        DemoCase(
            "黄小宇",
            0,
            pb.REPORT_SOURCE_POLICE,
            pb.CONCERN_KIND_ABANDONMENT,
            "派出所接警：父母外出失联",
            (
                _step(pb.CASE_STATE_ASSESSING, "确认父母失联，无其他监护人"),
                _step(
                    pb.CASE_STATE_INTERVENTION,
                    "启动临时监护",
                    intervention=pb.INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP,
                    placement=placement,
                ),
            ),
        ),
        DemoCase(
            "郑小诺",
            1,
            pb.REPORT_SOURCE_HOSPITAL,
            pb.CONCERN_KIND_NEGLECT,
            "医院报告：营养不良入院",
            (
                _step(pb.CASE_STATE_ASSESSING, "家访评估：祖母照料能力不足"),
                _step(
                    pb.CASE_STATE_INTERVENTION,
                    "家庭监护指导",
                    intervention=pb.INTERVENTION_KIND_FAMILY_SUPPORT,
                ),
                _step(pb.CASE_STATE_MONITORING, "每周回访"),
            ),
        ),
        DemoCase(
            "林小溪",
            2,
            pb.REPORT_SOURCE_VILLAGE_DIRECTOR,
            pb.CONCERN_KIND_OTHER,
            "儿童主任反映孩子情绪低落",
            (
                _step(pb.CASE_STATE_ASSESSING, "心理老师评估"),
                _step(
                    pb.CASE_STATE_CLOSED,
                    "评估无保护需求，转学校心理辅导",
                    close_reason=pb.CLOSE_REASON_NO_PROTECTION_NEED,
                ),
            ),
        ),
    ]


async def _existing(stub: ProtectionCaseServiceStub, admin: Metadata) -> set[str]:
    names: set[str] = set()
    token = ""
    while True:
        reply = await stub.ListCases(
            pb.ListCasesRequest(region_code=DISTRICT, page={"page_size": 200, "page_token": token}),  # type: ignore[arg-type]
            metadata=admin,
        )
        names.update(c.child_name for c in reply.cases)
        token = reply.page_info.next_page_token
        if not token:
            return names


async def load(channel: grpc.aio.Channel, codec: TokenCodec, *, today: date) -> None:
    """Open the demo cases not there yet and take their steps (idempotent)."""
    stub = ProtectionCaseServiceStub(channel)
    admin = auth_metadata(codec.mint("demo-protection", roles=[Role.ADMIN], regions=[DISTRICT]))
    hotline = auth_metadata(codec.mint("hotline-demo", roles=[Role.HOTLINE], regions=[DISTRICT]))
    tree = RegionTree.xiaoshan()
    present = await _existing(stub, admin)
    added = 0
    for demo in _cases(today):
        if demo.child_name in present:
            continue
        town = TOWNS[demo.town]
        village = tree.villages(town)[0].code
        officer = auth_metadata(codec.mint(f"officer-{town}", roles=[Role.TOWN_OFFICER], regions=[town]))
        request = pb.ReportConcernRequest(
            child_name=demo.child_name,
            region_code=village,
            source=demo.source,
            concern=demo.concern,
            description=demo.description,
        )
        if demo.hours_ago:
            # Hours before the start of ``today`` in China, so the deadline passed before the demo runs.
            start = datetime.combine(today, time(0), tzinfo=CHINA_TZ).astimezone(UTC)
            request.reported_at.FromDatetime(start - timedelta(hours=demo.hours_ago))
        case = await stub.ReportConcern(request, metadata=hotline)
        for step in demo.steps:
            step.case_id = case.id
            await stub.AdvanceCase(step, metadata=officer)
            if step.intervention == pb.INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP:
                conference = pb.RecordConferenceRequest(
                    case_id=case.id,
                    held_on=today.isoformat(),
                    participants=["派出所民警", "镇未保站工作人员", "区救助保护中心社工"],
                    decisions="由区救助保护中心临时监护，继续寻找父母",
                )
                await stub.RecordConference(conference, metadata=officer)
        added += 1
        log.info(
            "protection case for %s in %s: %d steps",
            demo.child_name,
            tree.name_path(village),
            len(demo.steps),
        )
    log.info("childwelfare demo: %d protection cases added", added)
