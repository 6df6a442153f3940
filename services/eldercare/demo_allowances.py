"""Demo allowance run, through the public gRPC API: the current month paid to the demo elders.

The packaged policy has no figures (the seeds give none: see ``eldercare_allowances.yaml``), so with
it the run pays nobody and reports the eligible elders as skipped per tier and group; with a policy
file that has figures (``$ELDERCARE_ALLOWANCE_POLICY_FILE``) the same run pays them and credits
e-vouchers. Running it again adds nothing: a month that already has a completed run is left alone
(so not even a second, empty run is recorded).
"""

from __future__ import annotations

import logging
from datetime import date

import grpc
from minzheng.eldercare.v1 import allowances_pb2 as pb
from minzheng.eldercare.v1.allowances_pb2_grpc import ElderAllowanceServiceStub

from services.kit.auth import Role, TokenCodec
from services.kit.grpc_client import auth_metadata
from services.kit.periods import Month

log = logging.getLogger(__name__)
DISTRICT = "330109"


async def load(channel: grpc.aio.Channel, codec: TokenCodec, *, today: date) -> None:
    """Run the month of ``today`` unless a run of it has completed."""
    stub = ElderAllowanceServiceStub(channel)
    admin = auth_metadata(codec.mint("demo-admin", roles=[Role.ADMIN], regions=[DISTRICT]))
    period = Month.containing(today).key
    runs = await stub.ListElderAllowanceRuns(pb.ListElderAllowanceRunsRequest(period=period), metadata=admin)
    if any(r.HasField("finished_at") for r in runs.runs):
        log.info("demo allowances: %s already run", period)
        return
    run = await stub.RunElderAllowances(pb.RunElderAllowancesRequest(period=period), metadata=admin)
    log.info(
        "demo allowances: %s paid %d elders (%s yuan), %d eligible skipped (no standard)",
        period,
        run.paid_count,
        run.paid_yuan,
        run.skipped_count,
    )
