"""``minzheng up``: NATS, every service and the gateway as separate processes, with demo data.

Each child's output is prefixed with its name; a crashed child is restarted (at most
``MAX_RESTARTS`` times a minute) and after that everything stops with a clear message.
Ctrl-C stops the children with SIGTERM (graceful gRPC shutdown), then NATS and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import httpx
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.kit.auth import Role, TokenCodec
from services.kit.local_nats import LocalNats, jetstream_available
from services.kit.local_postgres import LocalPostgres
from services.kit.settings import load_settings

MAX_RESTARTS = 3
READY_TIMEOUT_S = 60.0
COLORS = ["\033[36m", "\033[35m", "\033[33m", "\033[32m", "\033[34m", "\033[31m", "\033[37m"]
RESET = "\033[0m"


@dataclass(frozen=True)
class ServiceDef:
    """A service the launcher runs: its package (``python -m``) and its gRPC port."""

    name: str
    module: str
    grpc_port: int


# The services that exist so far, in port order; each runs as ``python -m services.<name>``.
SERVICES: list[str] = ["eldercare", "childwelfare", "relief"]


@dataclass
class Child:
    """One supervised process."""

    name: str
    argv: list[str]
    env: dict[str, str]
    color: str
    proc: asyncio.subprocess.Process | None = None
    restarts: list[float] = field(default_factory=list)
    pump: asyncio.Task[None] | None = None


def nats_url_file(data_dir: Path) -> Path:
    """Where ``minzheng up`` leaves the URL of the NATS it runs with, while it runs."""
    return data_dir / "nats.url"


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on host:port."""
    with socket.socket() as s:
        return s.connect_ex((host, port)) != 0


def say(line: str) -> None:
    """Launcher's own output, prefixed like the children's."""
    print(f"\033[1mminzheng  |{RESET} {line}", flush=True)


class Launcher:
    """Starts, watches and stops the local system."""

    def __init__(
        self,
        *,
        data_dir: Path,
        postgres: bool,
        demo: bool,
        gateway_port: int = 8000,
        grpc_base_port: int = 50051,
        nats_port: int | None = None,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.postgres = postgres
        self.demo = demo
        self.gateway_port = gateway_port
        self.nats_port = nats_port
        # Service i listens on grpc_base_port + i; tests move the base to free ports.
        self.services = [
            ServiceDef(name, f"services.{name}", grpc_base_port + i) for i, name in enumerate(SERVICES)
        ]
        self.settings = load_settings("minzheng")
        self.codec = TokenCodec(
            self.settings.jwt_secret, issuer=self.settings.jwt_issuer, audience=self.settings.jwt_audience
        )
        self.children: list[Child] = []
        self.nats: LocalNats | None = None
        self.pg: LocalPostgres | None = None
        self._stop = asyncio.Event()
        self._failed: str | None = None

    async def run(self) -> int:
        """Start everything, print the URLs, supervise until Ctrl-C or a fatal crash."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self._stop.set)
        try:
            if await self._start_unless_stopped():
                self._banner()
                await self._supervise()
        except Exception as exc:  # any start-up failure: say it plainly and clean up
            self._failed = str(exc)
        return await self._finish()

    async def _start_unless_stopped(self) -> bool:
        # Ctrl-C while starting must stop at once, not after every wait has run out.
        starting = asyncio.create_task(self._start_all())
        stopped = asyncio.create_task(self._stop.wait())
        await asyncio.wait({starting, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not starting.done():
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
            return False
        starting.result()
        return True

    async def _finish(self) -> int:
        await self._stop_all()
        if self._failed:
            say(f"stopped: {self._failed}")
            return 1
        say("stopped cleanly")
        return 0

    async def _start_all(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        nats_url = await self._nats()
        # For tools run beside it (services.kit.tail) when 4222 was taken and ours runs elsewhere.
        nats_url_file(self.data_dir).write_text(nats_url)
        common = {
            **os.environ,
            "MINZHENG_NATS_URL": nats_url,
            "MINZHENG_JWT_SECRET": self.settings.jwt_secret,
            "MINZHENG_DATA_DIR": str(self.data_dir),
            "MINZHENG_LOG_FORMAT": "text",
            "PYTHONUNBUFFERED": "1",
        }
        for i, svc in enumerate(self.services):
            if not port_free(svc.grpc_port):
                raise RuntimeError(f"port {svc.grpc_port} for {svc.name} is in use (another `make up`?)")
            env = {
                **common,
                f"{svc.name.upper()}_GRPC_PORT": str(svc.grpc_port),
                # A database the user named wins over the embedded default.
                f"{svc.name.upper()}_DATABASE_URL": os.environ.get(f"{svc.name.upper()}_DATABASE_URL")
                or self._database_url(svc.name),
            }
            self._spawn(svc.name, [sys.executable, "-m", svc.module], env, COLORS[i % len(COLORS)])
        await asyncio.gather(*(self._wait_grpc_healthy(svc) for svc in self.services))
        if not port_free(self.gateway_port):
            raise RuntimeError(f"port {self.gateway_port} for the gateway is in use")
        gw_env = {**common, "GATEWAY_PORT": str(self.gateway_port)}
        for svc in self.services:
            gw_env[f"GATEWAY_{svc.name.upper()}_ADDR"] = f"127.0.0.1:{svc.grpc_port}"
        self._spawn("gateway", [sys.executable, "-m", "gateway"], gw_env, COLORS[-1])
        await self._wait_http_ready(f"http://127.0.0.1:{self.gateway_port}/readyz")
        if self.demo:
            await self._load_demo(common)
        say(f"up in {time.monotonic() - started:.1f} s")

    async def _nats(self) -> str:
        explicit = os.environ.get("MINZHENG_NATS_URL") or os.environ.get("NATS_URL")
        if explicit:
            if await jetstream_available(explicit):
                say(f"using the NATS at {explicit}")
                return explicit
            say(f"no JetStream answers at {explicit}; starting our own nats-server")
        port = self.nats_port or (4222 if port_free(4222) else None)
        self.nats = LocalNats(self.data_dir / "nats", port=port, log_file=self.data_dir / "nats.log")
        await asyncio.to_thread(self.nats.start)
        say(f"nats-server (JetStream) started on {self.nats.url}, data in {self.data_dir / 'nats'}")
        return self.nats.url

    def _database_url(self, service: str) -> str:
        if not self.postgres:
            return f"sqlite+aiosqlite:///{self.data_dir / f'{service}.db'}"
        if self.pg is None:
            self.pg = LocalPostgres(self.data_dir / "postgres")
            self.pg.start()
            say(f"embedded PostgreSQL started, data in {self.data_dir / 'postgres'}")
        return self.pg.create_database(service)

    def _spawn(self, name: str, argv: list[str], env: dict[str, str], color: str) -> Child:
        child = Child(name=name, argv=argv, env=env, color=color)
        self.children.append(child)
        asyncio.get_running_loop().create_task(self._start_child(child))
        return child

    async def _start_child(self, child: Child) -> None:
        child.proc = await asyncio.create_subprocess_exec(
            *child.argv,
            env=child.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the launcher only; it stops children in order
        )
        child.pump = asyncio.create_task(self._pump(child))

    async def _pump(self, child: Child) -> None:
        assert child.proc is not None and child.proc.stdout is not None
        prefix = f"{child.color}{child.name:<9} |{RESET} "
        async for raw in child.proc.stdout:
            sys.stdout.write(prefix + raw.decode(errors="replace"))
            sys.stdout.flush()

    async def _wait_grpc_healthy(self, svc: ServiceDef) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        async with grpc.aio.insecure_channel(f"127.0.0.1:{svc.grpc_port}") as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            while time.monotonic() < deadline:
                self._raise_if_child_died(svc.name)
                with contextlib.suppress(grpc.aio.AioRpcError):
                    reply = await stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        pid = self._pid(svc.name)
                        say(f"{svc.name} is serving gRPC on 127.0.0.1:{svc.grpc_port} (pid {pid})")
                        return
                await asyncio.sleep(0.2)
        raise RuntimeError(f"{svc.name} did not become healthy within {READY_TIMEOUT_S:.0f} s")

    async def _wait_http_ready(self, url: str) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        async with httpx.AsyncClient(timeout=1) as client:
            while time.monotonic() < deadline:
                self._raise_if_child_died("gateway")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(url)).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise RuntimeError(f"gateway not ready at {url} within {READY_TIMEOUT_S:.0f} s")

    def _pid(self, name: str) -> int | None:
        child = next((c for c in self.children if c.name == name), None)
        return child.proc.pid if child is not None and child.proc is not None else None

    def _raise_if_child_died(self, name: str) -> None:
        for child in self.children:
            if child.name == name and child.proc is not None and child.proc.returncode is not None:
                raise RuntimeError(
                    f"{name} exited with code {child.proc.returncode} while starting (see its log)"
                )

    async def _load_demo(self, env: dict[str, str]) -> None:
        token = self.admin_token()
        for svc in self.services:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                f"{svc.module}.demo",
                "--target",
                f"127.0.0.1:{svc.grpc_port}",
                env={**env, "MINZHENG_DEMO_TOKEN": token},
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            out, _ = await proc.communicate()
            for line in out.decode(errors="replace").splitlines():
                say(f"demo {svc.name}: {line}")
            if proc.returncode != 0:
                raise RuntimeError(f"demo data for {svc.name} failed (exit {proc.returncode})")

    def admin_token(self) -> str:
        """A district-wide admin token for the demo and the newcomer."""
        return self.codec.mint("dev-admin", roles=[Role.ADMIN], regions=["330109"], ttl_s=7 * 24 * 3600)

    def _banner(self) -> None:
        gw = f"http://127.0.0.1:{self.gateway_port}"
        lines = [
            "",
            f"  GraphiQL      {gw}/graphql",
            f"  health        {gw}/healthz   {gw}/readyz",
            f"  NATS          {self.children[0].env['MINZHENG_NATS_URL']}  (stream CIVIC, subjects civic.>)",
            *(f"  gRPC {s.name:<9} 127.0.0.1:{s.grpc_port}" for s in self.services),
            f"  databases     {'embedded PostgreSQL' if self.postgres else 'SQLite'} under {self.data_dir}",
            "",
            "  dev admin token (district 330109; paste into GraphiQL's headers as",
            '  {"Authorization": "Bearer <token>"}):',
            f"  {self.admin_token()}",
            "",
            "  Ctrl-C stops everything.",
            "",
        ]
        for line in lines:
            print(line, flush=True)

    async def _supervise(self) -> None:
        while not self._stop.is_set():
            if self.nats is not None and not self.nats.running:
                self._failed = f"nats-server stopped (log: {self.nats.log_file})"
                return
            if self.pg is not None and not self.pg.running:
                self._failed = "embedded PostgreSQL stopped"
                return
            for child in self.children:
                if child.proc is not None and child.proc.returncode is not None:
                    await self._handle_exit(child)
                    if self._failed:
                        return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), 0.5)

    async def _handle_exit(self, child: Child) -> None:
        assert child.proc is not None
        code = child.proc.returncode
        now = time.monotonic()
        child.restarts = [t for t in child.restarts if now - t < 60] + [now]
        if len(child.restarts) > MAX_RESTARTS:
            self._failed = f"{child.name} crashed {len(child.restarts)} times in a minute (last exit {code})"
            return
        say(f"{child.name} exited with code {code}; restarting ({len(child.restarts)}/{MAX_RESTARTS})")
        await self._start_child(child)
        svc = next((s for s in self.services if s.name == child.name), None)
        if svc is not None:
            await self._wait_grpc_healthy(svc)

    async def _stop_all(self) -> None:
        for child in reversed(self.children):
            if child.proc is not None and child.proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    child.proc.send_signal(signal.SIGTERM)
        for child in self.children:
            if child.proc is None:
                continue
            try:
                await asyncio.wait_for(child.proc.wait(), timeout=10)
            except TimeoutError:
                say(f"{child.name} did not stop in 10 s; killing it")
                with contextlib.suppress(ProcessLookupError):
                    child.proc.kill()
                await child.proc.wait()
            if child.pump is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(child.pump, timeout=2)
        nats_url_file(self.data_dir).unlink(missing_ok=True)
        if self.nats is not None:
            await asyncio.to_thread(self.nats.stop)
        if self.pg is not None:
            await asyncio.to_thread(self.pg.stop)
