"""Home-safety alarm ingestion: how many alarms a second eldercare takes, and how soon each is on NATS.

For each backend (a SQLite file; the embedded PostgreSQL): ``python -m services.eldercare`` as its own
process on a fresh database and our own nats-server (free port); ``--devices`` elders, each with an SOS
button installed, registered through gRPC; then ``--alarms`` distinct alarms sent to
``HomeSafetyService.IngestAlarm`` over gRPC by ``--concurrency`` callers at once (closed loop: each sends
its next alarm when the previous one is answered), with a service token, as a device platform would.
A plain NATS subscriber on ``civic.eldercare.safety-alarm-raised`` timestamps each event as it arrives.

Reported: ingestion rate (alarms answered per second, first send to last answer), delivery rate (first
send to last event received), and per alarm the time from sending it to its event arriving on NATS
(p50 / p95 / p99 / max), all on this machine with load generator, service, NATS and PostgreSQL sharing
its CPUs. Checked: every alarm answered as new, every event received exactly once.

    .venv/bin/python bench/safety.py [--alarms 20000] [--concurrency 32] [--backends sqlite postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import grpc
from benchkit import CpuMeter, machine, percentile, write_result
from google.protobuf.timestamp_pb2 import Timestamp
from minzheng.eldercare.v1 import elders_pb2 as epb
from minzheng.eldercare.v1 import safety_pb2 as spb
from minzheng.eldercare.v1.elders_pb2_grpc import ElderServiceStub
from minzheng.eldercare.v1.safety_pb2_grpc import HomeSafetyServiceStub
from nats.aio.msg import Msg

from gateway import spawn, wait_grpc  # bench/gateway.py: the process helpers
from services.kit.auth import Role, TokenCodec
from services.kit.grpc_client import CHANNEL_OPTIONS, auth_metadata
from services.kit.idcard import make_id_number
from services.kit.local_nats import LocalNats, free_port
from services.kit.local_postgres import LocalPostgres
from services.kit.nats_conn import connect

SECRET = "bench-safety-secret-0123456789abcdef"
DISTRICT = "330109"
VILLAGE = "330109001001"
RAISED = "civic.eldercare.safety-alarm-raised"
VENDOR = "bench"
EVENT_TIMEOUT_S = 120.0


async def install_devices(channel: grpc.aio.Channel, codec: TokenCodec, n: int) -> list[str]:
    """``n`` elders with an SOS button each; their serials."""
    admin = auth_metadata(codec.mint("bench-admin", roles=[Role.ADMIN], regions=[DISTRICT]))
    elders, safety = ElderServiceStub(channel), HomeSafetyServiceStub(channel)
    serials = []
    for i in range(n):
        number = make_id_number(area_code=DISTRICT, birth_date=date(1940, 1, 1 + i % 28), sequence=i)
        elder = await elders.RegisterElder(
            epb.RegisterElderRequest(
                id_number=number,
                name=f"测试{i}",
                region_code=VILLAGE,
                living_arrangement=epb.LIVING_ARRANGEMENT_ALONE,
            ),
            metadata=admin,
        )
        serial = f"BENCH-{i:05d}"
        await safety.InstallDevice(
            spb.InstallDeviceRequest(
                elder_id=elder.id, kind=spb.DEVICE_KIND_SOS, vendor=VENDOR, serial=serial
            ),
            metadata=admin,
        )
        serials.append(serial)
    return serials


async def send_alarms(
    channel: grpc.aio.Channel,
    codec: TokenCodec,
    serials: list[str],
    *,
    total: int,
    concurrency: int,
    run: str,
) -> tuple[dict[str, float], dict[str, float], int]:
    """Send ``total`` alarms with ``concurrency`` callers; send and answer times by vendor alarm id."""
    machine_token = auth_metadata(codec.service_token("bench-devices", regions=[DISTRICT]))
    stub = HomeSafetyServiceStub(channel)
    sent: dict[str, float] = {}
    answered: dict[str, float] = {}
    created = 0
    next_index = 0

    async def caller() -> None:
        nonlocal next_index, created
        while next_index < total:
            i = next_index
            next_index += 1
            alarm_id = f"{run}-{i}"
            occurred = Timestamp()
            occurred.FromDatetime(datetime.now(UTC))
            request = spb.IngestAlarmRequest(
                vendor=VENDOR,
                vendor_alarm_id=alarm_id,
                serial=serials[i % len(serials)],
                kind=spb.ALARM_KIND_SOS,
                occurred_at=occurred,
            )
            sent[alarm_id] = time.perf_counter()
            reply = await stub.IngestAlarm(request, metadata=machine_token, timeout=30)
            answered[alarm_id] = time.perf_counter()
            created += reply.created

    await asyncio.gather(*(caller() for _ in range(concurrency)))
    return sent, answered, created


async def measure(url: str, nats: LocalNats, workdir: Path, args: argparse.Namespace, label: str) -> dict:
    codec = TokenCodec(SECRET)
    port = free_port()
    env = {
        **os.environ,
        "MINZHENG_NATS_URL": nats.url,
        "MINZHENG_JWT_SECRET": SECRET,
        "MINZHENG_DATA_DIR": str(workdir),
        "PYTHONUNBUFFERED": "1",
        "ELDERCARE_GRPC_PORT": str(port),
        "ELDERCARE_DATABASE_URL": url,
        "MINZHENG_LOG_LEVEL": "WARNING",
    }
    proc = spawn(f"eldercare-{label}", "services.eldercare", env, workdir)
    addr = f"127.0.0.1:{port}"
    nc = await connect(nats.url, name="bench-safety")
    arrivals: dict[str, float] = {}
    duplicates = 0
    expected = args.alarms
    all_arrived = asyncio.Event()

    async def on_event(msg: Msg) -> None:
        nonlocal duplicates
        at = time.perf_counter()
        key = json.loads(msg.data)["data"]["vendor_alarm_id"]
        if key in arrivals:
            duplicates += 1
        else:
            arrivals[key] = at
            if len(arrivals) >= expected:
                all_arrived.set()

    try:
        await wait_grpc(proc, addr)
        async with grpc.aio.insecure_channel(addr, options=CHANNEL_OPTIONS) as channel:
            serials = await install_devices(channel, codec, args.devices)
            await nc.subscribe(RAISED, cb=on_event)
            await nc.flush()
            meter = CpuMeter({"eldercare": proc.proc.pid, "nats-server": nats.pid or 0})
            meter.start()
            started = time.perf_counter()
            sent, answered, created = await send_alarms(
                channel, codec, serials, total=args.alarms, concurrency=args.concurrency, run=label
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(all_arrived.wait(), EVENT_TIMEOUT_S)
            cpu = meter.stop()
        latencies = sorted((arrivals[k] - sent[k]) * 1000 for k in sent if k in arrivals)
        answers = sorted((answered[k] - sent[k]) * 1000 for k in sent)
        ingest_s = max(answered.values()) - started
        deliver_s = (max(arrivals.values()) - started) if arrivals else float("nan")
        return {
            "backend": label,
            "alarms": len(sent),
            "created": created,
            "events": len(arrivals),
            "duplicates": duplicates,
            "ok": created == len(sent) == len(arrivals) and duplicates == 0,
            "ingest_per_s": round(len(sent) / ingest_s, 1),
            "deliver_per_s": round(len(arrivals) / deliver_s, 1),
            "to_nats_ms": {q: round(percentile(latencies, q), 1) for q in (50, 95, 99)}
            | {"max": round(latencies[-1], 1)},
            "answer_ms": {q: round(percentile(answers, q), 1) for q in (50, 95, 99)},
            "cpu_s": cpu,
        }
    finally:
        await nc.close()
        proc.stop()


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="minzheng-bench-safety-"))
    nats = LocalNats(workdir / "nats")
    pg: LocalPostgres | None = None
    results: dict[str, Any] = {
        "benchmark": "safety",
        "machine": machine(),
        "date": date.today().isoformat(),
        "alarms": args.alarms,
        "devices": args.devices,
        "concurrency": args.concurrency,
        "runs": [],
    }
    try:
        await nats.start_async()
        for backend in args.backends:
            if backend == "sqlite":
                url = f"sqlite+aiosqlite:///{workdir / 'eldercare.db'}"
            else:
                if pg is None:
                    pg = LocalPostgres(workdir / "pg" / "data")
                    pg.start()
                url = pg.create_database("bench_safety")
            run = await measure(url, nats, workdir, args, backend)
            print(json.dumps(run, ensure_ascii=False), flush=True)
            results["runs"].append(run)
    finally:
        if pg is not None:
            pg.stop()
        nats.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--alarms", type=int, default=20_000)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--out", default="safety", help="result name under bench/out/")
    args = parser.parse_args()
    write_result(args.out, asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
