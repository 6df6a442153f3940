"""The whole system started the way a newcomer starts it: ``minzheng up`` in a subprocess."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from services.kit.local_nats import free_port

UP_TIMEOUT_S = 90


@dataclass
class System:
    """A running ``minzheng up`` and what it printed."""

    proc: subprocess.Popen[str]
    gateway_url: str
    grpc_base_port: int
    nats_url: str
    token: str
    data_dir: Path
    startup_s: float
    output: list[str] = field(default_factory=list)

    def stop(self) -> int:
        """Ctrl-C, as a user would; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                return self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                return self.proc.wait()
        return self.proc.returncode


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def system(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """``minzheng up`` (and ``--postgres``) on free ports with demo data; stopped with SIGINT at the end."""
    data_dir = tmp_path_factory.mktemp("up")
    gw_port, grpc_base, nats_port = free_port(), free_port(), free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MINZHENG_", "NATS_URL", "ELDERCARE_", "CHILDWELFARE_", "GATEWAY_"))
    }
    # The overdue scan runs hourly by default; the e2e test wants to see it within seconds.
    env["CHILDWELFARE_OVERDUE_SCAN_INTERVAL_S"] = "2"
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "services.kit.cli",
            "up",
            "--data-dir",
            str(data_dir),
            "--port",
            str(gw_port),
            "--grpc-base-port",
            str(grpc_base),
            "--nats-port",
            str(nats_port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if "Ctrl-C stops everything" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(UP_TIMEOUT_S):
        proc.kill()
        pytest.fail("minzheng up did not come up:\n" + "\n".join(lines[-60:]))
    startup = time.monotonic() - started
    text = "\n".join(lines)
    token = re.search(r"^\s+(eyJ[\w-]+\.[\w-]+\.[\w-]+)\s*$", text, re.M)
    nats = re.search(r"NATS\s+(nats://\S+)", text)
    assert token and nats, text
    sys_ = System(
        proc=proc,
        gateway_url=f"http://127.0.0.1:{gw_port}",
        grpc_base_port=grpc_base,
        nats_url=nats.group(1),
        token=token.group(1),
        data_dir=data_dir,
        startup_s=startup,
        output=lines,
    )
    yield sys_
    sys_.stop()
