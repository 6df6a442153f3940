"""Helpers for the elder and home-safety gateway tests: register elders, install devices, raise alarms."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from minzheng.eldercare.v1 import safety_pb2 as spb
from minzheng.eldercare.v1 import safety_pb2_grpc

from services.kit.auth import Role
from services.kit.grpc_client import auth_metadata
from tests.contract.gateway.conftest import ADMIN, CODEC, DISTRICT, Stack, elder_id

# The vendor platform bridge: a machine caller, the only role that may ingest alarms.
SERVICE = CODEC.mint("vendor-bridge", roles=[Role.SERVICE], regions=[DISTRICT])
VENDOR = "acme"
_serials = itertools.count(1)
_alarm_ids = itertools.count(1)

ELDER_FIELDS = """
id idNumber name sex birthDate age regionCode livingArrangement widowedChildless leftBehind
specialFamily phone address contacts { name relation phone } capabilityLevel capabilityAssessedOn
vulnerability lastVisitOn visitDueOn visitOverdue daysOverdue registeredAt updatedAt
"""
REGISTER_ELDER = f"""
mutation Register($input: RegisterElderInput!) {{ registerElder(input: $input) {{ {ELDER_FIELDS} }} }}
"""
INSTALL = """
mutation Install($input: InstallDeviceInput!) {
  installDevice(input: $input) { id elderId elderName regionCode kind vendor serial status installedOn }
}
"""
ALARM_FIELDS = """
id status kind elderId elderName elderIdNumber regionCode deviceKind deviceSerial dispatchTarget outcome
acknowledgedAt resolvedAt allowedNext steps { sequence action fromStatus toStatus actor note }
"""


def village(town: str, number: int = 1) -> str:
    """A 12-digit village code inside ``town``."""
    return f"{town}{number:03d}"


async def register_elder(
    stack: Stack,
    region: str,
    *,
    token: str = ADMIN,
    living: str = "ALONE",
    name: str = "张阿公",
    id_number: str | None = None,
    since: date | None = None,
) -> dict[str, Any]:
    """Register a new elder in ``region``; their GraphQL fields."""
    variables = {
        "input": {
            "idNumber": id_number or elder_id(),
            "name": name,
            "regionCode": region,
            "livingArrangement": living,
            "phone": "13800000000",
            "contacts": [{"name": "张小明", "relation": "CHILD", "phone": "13900000000"}],
            "situationSince": since.isoformat() if since else None,
        }
    }
    return (await stack.data(REGISTER_ELDER, variables, token=token))["registerElder"]


async def install_device(
    stack: Stack, elder: str, kind: str = "SOS", *, token: str = ADMIN
) -> dict[str, Any]:
    """Install a device of ``kind`` for the elder (global ID); its GraphQL fields."""
    variables = {
        "input": {"elderId": elder, "kind": kind, "vendor": VENDOR, "serial": f"SN-{next(_serials):05d}"}
    }
    return (await stack.data(INSTALL, variables, token=token))["installDevice"]


async def ingest_alarm(stack: Stack, serial: str, kind: int = spb.ALARM_KIND_SOS) -> spb.Alarm:
    """Raise an alarm from the device as the vendor bridge does, over gRPC with a service token."""
    occurred = Timestamp()
    occurred.FromDatetime(datetime.now(UTC))
    request = spb.IngestAlarmRequest(
        vendor=VENDOR,
        vendor_alarm_id=f"A-{next(_alarm_ids):06d}",
        serial=serial,
        kind=kind,
        occurred_at=occurred,
        detail="one-key call pressed",
    )
    async with grpc.aio.insecure_channel(stack.eldercare.address) as channel:
        stub = safety_pb2_grpc.HomeSafetyServiceStub(channel)
        reply = await stub.IngestAlarm(request, metadata=auth_metadata(SERVICE), timeout=10)
    assert reply.created
    return reply.alarm
