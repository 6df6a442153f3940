"""The ``minzheng`` command: ``minzheng up`` starts the whole system, ``minzheng token`` mints a dev token."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from services.kit.auth import Role, TokenCodec
from services.kit.settings import load_settings


def _token(args: argparse.Namespace) -> int:
    settings = load_settings("minzheng")
    if settings.environment == "production":
        sys.stderr.write("refusing to mint tokens in production\n")
        return 2
    codec = TokenCodec(settings.jwt_secret, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    token = codec.mint(
        args.subject, roles=args.role or [Role.ADMIN], regions=args.region or ["330109"], ttl_s=args.ttl
    )
    print(token)
    return 0


def _up(args: argparse.Namespace) -> int:
    from services.kit.launcher import Launcher

    launcher = Launcher(
        data_dir=Path(args.data_dir),
        postgres=args.postgres,
        demo=not args.no_demo,
        gateway_port=args.port,
        grpc_base_port=args.grpc_base_port,
        nats_port=args.nats_port,
    )
    return asyncio.run(launcher.run())


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run a sub-command."""
    parser = argparse.ArgumentParser(prog="minzheng", description="Minzheng 1+3+X developer commands")
    sub = parser.add_subparsers(dest="command", required=True)

    up = sub.add_parser("up", help="start NATS, every service and the gateway with demo data")
    up.add_argument("--postgres", action="store_true", help="use an embedded PostgreSQL instead of SQLite")
    up.add_argument("--data-dir", default="var", help="where databases, NATS data and logs live")
    up.add_argument("--no-demo", action="store_true", help="do not load demo data")
    up.add_argument("--port", type=int, default=8000, help="gateway HTTP port")
    up.add_argument("--grpc-base-port", type=int, default=50051, help="first service's gRPC port")
    up.add_argument("--nats-port", type=int, default=None, help="port for our own nats-server")
    up.set_defaults(func=_up)

    tok = sub.add_parser("token", help="print a development JWT (MINZHENG_JWT_SECRET signs it)")
    tok.add_argument("--role", action="append", choices=[r.value for r in Role], help="repeatable")
    tok.add_argument("--region", action="append", help="region code prefix, repeatable (default 330109)")
    tok.add_argument("--subject", default="dev-user")
    tok.add_argument("--ttl", type=int, default=12 * 3600, help="seconds")
    tok.set_defaults(func=_token)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
