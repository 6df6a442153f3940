"""Home-safety alarm ingestion: how many alarms a second eldercare takes, and how soon each is on NATS.

For each scenario and backend (a SQLite file; the embedded PostgreSQL): ``python -m services.eldercare``
as its own process on a fresh database and our own nats-server (free port); ``--devices`` elders, each
with an SOS button installed, registered through gRPC; then the scenario's alarms, with a service token:

- ``single``: 32 callers, one ``IngestAlarm`` call per alarm, each sending its next alarm when the
  previous one is answered (closed loop: the rate is whatever the service sustains);
- ``platform``: alarms arise at 2,000 a second whatever the service does (open loop) and a vendor
  platform forwards what has queued over 2 connections, up to 500 per ``IngestAlarms`` call. An
  alarm's time counts from when it arose, so its wait in the platform's queue is included.

A plain NATS subscriber on ``civic.eldercare.safety-alarm-raised`` timestamps each event as it arrives.
Reported: ingestion rate (alarms answered per second, first send to last answer), delivery rate (first
send to last event received), and per alarm the time from sending (arising) to its event on NATS
(p50 / p95 / p99 / max), all on this machine with load generator, service, NATS and PostgreSQL sharing
its CPUs. Checked: every alarm answered as new, every event received exactly once. With each run the
machine's 1-minute load average before and after it (the CPUs are shared with whatever else runs).

``--relay`` says where the outbox relay runs, both real deployment modes (``Settings.relay``):

- ``separate`` (the default): eldercare with ``ELDERCARE_RELAY=separate`` and the relay as a process of its
  own (``python -m services.kit.relay_main --service eldercare``), woken over core NATS after each commit.
  Ingestion and relay each get a core, so ingestion batches no longer queue behind the relay's
  publishing. The default because it is the mode meant for load like this one and, with a core to
  spare, measures best; on a machine whose CPUs are taken by other work it may not (the extra process
  then only competes for the same core): compare with ``--relay separate inline``;
- ``inline``: the relay in eldercare's own event loop, beside ingestion and gRPC.

    .venv/bin/python bench/safety.py [--scenarios single platform] [--alarms N] [--backends sqlite postgresql]
                                     [--relay separate inline] [--runs N] [--profile]

Each scenario, backend and relay mode runs ``--runs`` times (default 2), each on a fresh database, and
every run is reported: one 30-second window's p99 moves by tens of milliseconds from run to run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import grpc
from benchkit import CpuMeter, machine, percentile, start_py_spy, stop_py_spy, write_result
from google.protobuf.timestamp_pb2 import Timestamp
from minzheng.eldercare.v1 import elders_pb2 as epb
from minzheng.eldercare.v1 import safety_pb2 as spb
from minzheng.eldercare.v1.elders_pb2_grpc import ElderServiceStub
from minzheng.eldercare.v1.safety_pb2_grpc import HomeSafetyServiceStub
from nats.aio.msg import Msg

from gateway import spawn, wait_grpc  # bench/gateway.py: the process helpers
from services.kit.auth import Role, TokenCodec
from services.kit.grpc_client import CHANNEL_OPTIONS, auth_metadata
from services.kit.heap import freeze_startup_heap
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
RELAY_PROCESS = "relay"
BENCH_PROCESS = "bench"
ROOT = Path(__file__).resolve().parent.parent
RELAY_MODES = ("separate", "inline")
PROFILED = ("eldercare", RELAY_PROCESS)


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


async def send_batches(
    channel: grpc.aio.Channel,
    codec: TokenCodec,
    serials: list[str],
    *,
    total: int,
    rate: float,
    senders: int,
    batch: int,
    run: str,
) -> tuple[dict[str, float], dict[str, float], int]:
    """A vendor platform: alarms arise at ``rate`` a second (open loop, whatever the service does) and
    ``senders`` connections each forward what has queued, up to ``batch`` per IngestAlarms call. An
    alarm's time counts from when it arose, so waiting in the platform's queue is part of it."""
    machine_token = auth_metadata(codec.service_token("bench-devices", regions=[DISTRICT]))
    stub = HomeSafetyServiceStub(channel)
    queue: asyncio.Queue[spb.IngestAlarmRequest | None] = asyncio.Queue()
    sent: dict[str, float] = {}
    answered: dict[str, float] = {}
    created = 0

    async def arise() -> None:
        start, made = time.perf_counter(), 0
        while made < total:
            due = min(total, int((time.perf_counter() - start) * rate) + 1)
            for i in range(made, due):
                occurred = Timestamp()
                occurred.FromDatetime(datetime.now(UTC))
                alarm_id = f"{run}-{i}"
                sent[alarm_id] = time.perf_counter()
                queue.put_nowait(
                    spb.IngestAlarmRequest(
                        vendor=VENDOR,
                        vendor_alarm_id=alarm_id,
                        serial=serials[i % len(serials)],
                        kind=spb.ALARM_KIND_SOS,
                        occurred_at=occurred,
                    )
                )
            made = due
            await asyncio.sleep(0.002)
        for _ in range(senders):
            queue.put_nowait(None)

    async def sender() -> None:
        nonlocal created
        done = False
        while not done:
            first = await queue.get()
            if first is None:
                return
            alarms = [first]
            while len(alarms) < batch and not queue.empty():
                more = queue.get_nowait()
                if more is None:
                    done = True
                    break
                alarms.append(more)
            reply = await stub.IngestAlarms(
                spb.IngestAlarmsRequest(alarms=alarms), metadata=machine_token, timeout=30
            )
            at = time.perf_counter()
            for result in reply.results:
                answered[result.vendor_alarm_id] = at
                created += result.created

    await asyncio.gather(arise(), *(sender() for _ in range(senders)))
    return sent, answered, created


async def start_relay(env: dict[str, str], workdir: Path, label: str) -> asyncio.subprocess.Process:
    """``python -m services.kit.relay_main --service eldercare`` on the service's database, as deployed."""
    log = (workdir / f"relay-{label}.log").open("wb")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.kit.relay_main",
        "--service",
        "eldercare",
        env={**env, "MINZHENG_LOG_LEVEL": "INFO", "MINZHENG_LOG_FORMAT": "text"},
        cwd=ROOT,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    # Ready once its relay loop runs (it logs that line after connecting and subscribing to wake-ups).
    while b"outbox relay started" not in (line := await asyncio.wait_for(proc.stderr.readline(), 120)):
        log.write(line)
        if not line:
            raise RuntimeError(f"relay process exited ({await proc.wait()}), see {log.name}")

    async def copy() -> None:
        while line := await proc.stderr.readline():  # type: ignore[union-attr]
            log.write(line)
        log.close()

    asyncio.get_running_loop().create_task(copy())
    return proc


async def stop_relay(proc: asyncio.subprocess.Process | None) -> None:
    if proc is None:
        return
    if proc.returncode is None:
        proc.terminate()
    await proc.wait()


@dataclass(frozen=True)
class Scenario:
    """How the alarms come: one call each from ``callers`` devices' bridges, or batches from a platform."""

    name: str
    alarms: int
    callers: int
    batch: int = 0  # 0: IngestAlarm per alarm (closed loop); n: IngestAlarms of up to n, open loop
    rate: float = 0.0

    def describe(self) -> str:
        if self.batch:
            return (
                f"alarms arise at {self.rate:,.0f}/s; a vendor platform forwards them over {self.callers} "
                f"connection(s), up to {self.batch} per IngestAlarms call"
            )
        return f"{self.callers} callers, one IngestAlarm call per alarm, each sending its next when answered"


SCENARIOS = {
    "single": Scenario("single", alarms=20_000, callers=32),
    "platform": Scenario("platform", alarms=60_000, callers=2, batch=500, rate=2000.0),
}


async def measure(
    url: str,
    nats: LocalNats,
    workdir: Path,
    args: argparse.Namespace,
    sc: Scenario,
    backend: str,
    relay_mode: str,
    attempt: int,
) -> dict:
    label = f"{sc.name}-{backend}-{relay_mode}-{attempt}"
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
        "ELDERCARE_RELAY": relay_mode,
    }
    proc = spawn(f"eldercare-{label}", "services.eldercare", env, workdir)
    relay: asyncio.subprocess.Process | None = None
    addr = f"127.0.0.1:{port}"
    nc = await connect(nats.url, name="bench-safety")
    arrivals: dict[str, float] = {}
    duplicates = 0
    expected = sc.alarms
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
        if relay_mode == "separate":  # after the service's start: its migrations made the outbox table
            relay = await start_relay(env, workdir, label)
        async with grpc.aio.insecure_channel(addr, options=CHANNEL_OPTIONS) as channel:
            serials = await install_devices(channel, codec, args.devices)
            await nc.subscribe(RAISED, cb=on_event)
            await nc.flush()
            # The load generator and subscriber (this process) too: if it ran short of CPU its own delays
            # would count as the service's latency.
            pids = {"eldercare": proc.proc.pid, "nats-server": nats.pid or 0, BENCH_PROCESS: os.getpid()}
            if relay is not None:
                pids[RELAY_PROCESS] = relay.pid
            # The load generator's own collector pauses would count as the service's latency (kit.heap).
            freeze_startup_heap()
            meter = CpuMeter(pids)
            spies = _start_profiles(args, label, {k: v for k, v in pids.items() if k in PROFILED})
            load_before = os.getloadavg()[0]
            meter.start()
            started = time.perf_counter()
            if sc.batch:
                sent, answered, created = await send_batches(
                    channel,
                    codec,
                    serials,
                    total=sc.alarms,
                    rate=sc.rate,
                    senders=sc.callers,
                    batch=sc.batch,
                    run=label,
                )
            else:
                sent, answered, created = await send_alarms(
                    channel, codec, serials, total=sc.alarms, concurrency=sc.callers, run=label
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(all_arrived.wait(), EVENT_TIMEOUT_S)
            cpu = meter.stop()
            load_after = os.getloadavg()[0]
            for spy in spies:
                stop_py_spy(spy)
        latencies = sorted((arrivals[k] - sent[k]) * 1000 for k in sent if k in arrivals)
        answers = sorted((answered[k] - sent[k]) * 1000 for k in sent)
        ingest_s = max(answered.values()) - started
        deliver_s = (max(arrivals.values()) - started) if arrivals else float("nan")
        return {
            "scenario": sc.name,
            "attempt": attempt,
            "how": sc.describe(),
            "backend": backend,
            "relay": relay_mode,
            "load_1m": [round(load_before, 2), round(load_after, 2)],
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
        await stop_relay(relay)
        proc.stop()


def _start_profiles(args: argparse.Namespace, label: str, pids: dict[str, int]) -> list[Any]:
    """With ``--profile``: py-spy (idle excluded, threads apart) on eldercare and the relay during the run,
    as collapsed stacks in ``bench/out/safety-<run>-<process>.txt``."""
    if not args.profile:
        return []
    out = ROOT / "bench" / "out"
    return [
        start_py_spy(pid, out / f"safety-{label}-{name}.txt", rate=200, threads=True)
        for name, pid in pids.items()
    ]


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="minzheng-bench-safety-"))
    nats = LocalNats(workdir / "nats")
    pg: LocalPostgres | None = None
    scenarios = [SCENARIOS[name] for name in args.scenarios]
    if args.alarms:
        scenarios = [replace(sc, alarms=args.alarms) for sc in scenarios]
    results: dict[str, Any] = {
        "benchmark": "safety",
        "machine": machine(),
        "date": date.today().isoformat(),
        "devices": args.devices,
        "relay": args.relay,
        "runs_each": args.runs,
        "command": "bench/safety.py " + " ".join(sys.argv[1:]),
        "runs": [],
    }
    try:
        await nats.start_async()
        for sc in scenarios:
            for backend in args.backends:
                for relay_mode, attempt in itertools.product(args.relay, range(1, args.runs + 1)):
                    # A fresh database each time: every run starts from the same empty tables.
                    name = f"{sc.name}_{relay_mode}_{attempt}"
                    if backend == "sqlite":
                        url = f"sqlite+aiosqlite:///{workdir / f'eldercare-{name}.db'}"
                    else:
                        if pg is None:
                            pg = LocalPostgres(workdir / "pg" / "data")
                            pg.start()
                        url = pg.create_database(f"bench_safety_{name}")
                    run = await measure(url, nats, workdir, args, sc, backend, relay_mode, attempt)
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
    parser.add_argument("--scenarios", nargs="+", choices=sorted(SCENARIOS), default=list(SCENARIOS))
    parser.add_argument("--alarms", type=int, default=0, help="alarms per run (default: the scenario's)")
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument(
        "--runs", type=int, default=2, help="runs of each scenario, backend and relay mode, all reported"
    )
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument(
        "--relay",
        nargs="+",
        choices=RELAY_MODES,
        default=[RELAY_MODES[0]],
        help="where the outbox relay runs (see above); both to compare them",
    )
    parser.add_argument(
        "--profile", action="store_true", help="py-spy eldercare and the relay (pip install py-spy)"
    )
    parser.add_argument("--out", default="safety", help="result name under bench/out/")
    args = parser.parse_args()
    write_result(args.out, asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
