"""Demo applications through the public gRPC API, so ``make up`` shows one in every step.

Run after the demo households (``demo.load_demo``): each application in ``demo_households.APPLICATIONS``
is brought to its step (submitted, reviewed, approved with its grant, rejected, appealed) by the roles
the service asks for: a town officer reviews, the district (the launcher's admin token, another
person) approves or rejects, the town files the appeal.

It converges rather than appends: the household's newest application is read (as a viewer, so nothing
is audited) and only the steps still missing on the way to the target are taken; a household whose
newest application is past or off that way (withdrawn, say) is left alone. A second run adds nothing.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import grpc
from minzheng.common.v1 import common_pb2
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import households_pb2 as pb
from minzheng.relief.v1.applications_pb2_grpc import ApplicationServiceStub
from minzheng.relief.v1.households_pb2_grpc import HouseholdServiceStub

from services.kit.grpc_client import auth_metadata
from services.relief.demo_households import APPLICATIONS, HOUSEHOLDS, DemoApplication, id_number_of

log = logging.getLogger(__name__)

Metadata = tuple[tuple[str, str], ...]
# The states on the way to each target, in order (the first is what submitting gives).
WAYS: dict[str, tuple[int, ...]] = {
    "submitted": (apb.APPLICATION_STATE_SUBMITTED,),
    "reviewed": (apb.APPLICATION_STATE_SUBMITTED, apb.APPLICATION_STATE_REVIEWED),
    "approved": (
        apb.APPLICATION_STATE_SUBMITTED,
        apb.APPLICATION_STATE_REVIEWED,
        apb.APPLICATION_STATE_APPROVED,
    ),
    "rejected": (
        apb.APPLICATION_STATE_SUBMITTED,
        apb.APPLICATION_STATE_REVIEWED,
        apb.APPLICATION_STATE_REJECTED,
    ),
    "appealed": (
        apb.APPLICATION_STATE_SUBMITTED,
        apb.APPLICATION_STATE_REVIEWED,
        apb.APPLICATION_STATE_REJECTED,
        apb.APPLICATION_STATE_APPEALED,
    ),
}


@dataclass
class DemoApplicationsResult:
    """What one run did: applications submitted, steps taken, and where each demo application stands."""

    submitted: int = 0
    steps: int = 0
    states: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Callers:
    """The tokens the steps need: a town officer (submit, review, appeal), the district, a viewer."""

    town: Metadata
    district: Metadata
    viewer: Metadata


async def _newest(
    stub: ApplicationServiceStub, household_id: str, viewer: Metadata
) -> apb.Application | None:
    request = apb.ListApplicationsRequest(household_id=household_id, page=common_pb2.PageRequest(page_size=1))
    reply = await stub.ListApplications(request, metadata=viewer)
    return reply.applications[0] if reply.applications else None


async def _take(stub: ApplicationServiceStub, app: apb.Application, target: int, callers: Callers) -> None:
    """The one step from the application's state to ``target``."""
    if target == apb.APPLICATION_STATE_REVIEWED:
        await stub.ReviewApplication(
            apb.ReviewApplicationRequest(id=app.id, note="demo: 入户核查"), metadata=callers.town
        )
    elif target == apb.APPLICATION_STATE_APPROVED:
        await stub.ApproveApplication(
            apb.ApproveApplicationRequest(id=app.id, note="demo"), metadata=callers.district
        )
    elif target == apb.APPLICATION_STATE_REJECTED:
        request = apb.RejectApplicationRequest(id=app.id, reason="demo: 家庭人均收入高于低保标准")
        await stub.RejectApplication(request, metadata=callers.district)
    elif target == apb.APPLICATION_STATE_APPEALED:
        request = apb.AppealApplicationRequest(id=app.id, reason="demo: 收入核算有误，申请复核")
        await stub.AppealApplication(request, metadata=callers.town)
    else:
        raise ValueError(f"no demo step leads to {apb.ApplicationState.Name(target)}")


async def _converge(
    stubs: tuple[HouseholdServiceStub, ApplicationServiceStub],
    demo: DemoApplication,
    callers: Callers,
    today: date,
    result: DemoApplicationsResult,
) -> None:
    households, applications = stubs
    head = next(p for h in HOUSEHOLDS for p in h.members if p.sequence == demo.head_sequence)
    found = await households.GetHousehold(
        pb.GetHouseholdRequest(id_number=id_number_of(head)), metadata=callers.viewer
    )
    way = WAYS[demo.step]
    app = await _newest(applications, found.id, callers.viewer)
    if app is None:
        request = apb.SubmitApplicationRequest(
            household_id=found.id,
            items=list(demo.items),
            commitment=apb.CreditCommitment(signed_by=head.name, signed_on=today.isoformat()),
            note="demo",
        )
        app = await applications.SubmitApplication(request, metadata=callers.town)
        result.submitted += 1
    if app.state not in way:
        log.warning(
            "demo application of %s is %s, off the way to %s; left alone", head.name, app.state, demo.step
        )
    else:
        for target in way[way.index(app.state) + 1 :]:
            await _take(applications, app, target, callers)
            result.steps += 1
    result.states[demo.step] += 1


async def load_demo_applications(
    channel: grpc.aio.Channel, *, town_token: str, district_token: str, viewer_token: str, today: date
) -> DemoApplicationsResult:
    """Bring each demo application to its step, taking only the steps still missing."""
    callers = Callers(auth_metadata(town_token), auth_metadata(district_token), auth_metadata(viewer_token))
    stubs = (HouseholdServiceStub(channel), ApplicationServiceStub(channel))
    result = DemoApplicationsResult()
    for demo in APPLICATIONS:
        await _converge(stubs, demo, callers, today, result)
    log.info(
        "relief demo: %d applications submitted and %d steps taken; %s",
        result.submitted,
        result.steps,
        ", ".join(f"{k} {v}" for k, v in sorted(result.states.items())),
    )
    return result
