"""Session-wide infrastructure for every test: a real nats-server and a real PostgreSQL.

Nothing here talks to a system NATS or PostgreSQL: NATS runs on a free port, PostgreSQL is embedded
(unix socket only) unless ``TEST_DATABASE_URL`` points at a server explicitly.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.kit.local_nats import LocalNats, nats_server_binary, nats_server_version
from services.kit.local_postgres import ExternalPostgres, LocalPostgres, embedded_postgres_version

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
_PG_DIR = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    # Chosen up front so the report header can name it; outside pytest's 0700 basetemp because
    # embedded-postgres opens every parent dir of its data dir to its own system user when run as root.
    if not TEST_DATABASE_URL:
        config.stash[_PG_DIR] = Path(tempfile.mkdtemp(prefix="minzheng-test-pg-"))


def pytest_unconfigure(config: pytest.Config) -> None:
    pg_dir = config.stash.get(_PG_DIR, None)
    if pg_dir is not None:
        shutil.rmtree(pg_dir, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> list[str]:
    if TEST_DATABASE_URL:
        postgres = ExternalPostgres(TEST_DATABASE_URL).describe()
    else:
        postgres = f"embedded {embedded_postgres_version()} at {config.stash[_PG_DIR] / 'data'}"
    binary = nats_server_binary()
    return [f"postgresql: {postgres}", f"nats-server: {nats_server_version(binary)} ({binary})"]


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNats]:
    """A nats-server with JetStream on a free port; tests may stop/kill/restart it."""
    server = LocalNats(tmp_path_factory.mktemp("nats"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def nats(nats_server: LocalNats) -> LocalNats:
    """The session nats-server, started again first if an earlier test left it down."""
    if not nats_server.running:
        nats_server.start()
    return nats_server


@pytest.fixture(scope="session")
def postgres_server(pytestconfig: pytest.Config) -> Iterator[LocalPostgres | ExternalPostgres]:
    """The PostgreSQL server of the session: TEST_DATABASE_URL's, else an embedded one."""
    if TEST_DATABASE_URL:
        yield ExternalPostgres(TEST_DATABASE_URL)
        return
    server = LocalPostgres(pytestconfig.stash[_PG_DIR] / "data")
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database (SQLAlchemy async URL) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    # Looked up lazily so SQLite-only selections (-k sqlite) never start PostgreSQL.
    server: LocalPostgres | ExternalPostgres = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = server.create_database(name)
    yield url
    server.drop_database(name)
