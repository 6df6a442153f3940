"""``python -m services.kit.tail [SUBJECT]``: print CloudEvents from the CIVIC stream as they arrive.

A newcomer's way to watch NATS; it reads new messages only and never acks or creates durables.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from collections.abc import Mapping

import nats
from nats.js.api import DeliverPolicy

from services.kit.launcher import nats_url_file
from services.kit.settings import load_settings


async def tail(url: str, subject: str, from_start: bool) -> None:
    """Print each event on ``subject`` as indented JSON."""
    nc = await nats.connect(url, name="minzheng-tail")
    js = nc.jetstream()
    policy = DeliverPolicy.ALL if from_start else DeliverPolicy.NEW
    sub = await js.subscribe(subject, ordered_consumer=True, deliver_policy=policy)
    try:
        async for msg in sub.messages:
            print(f"--- {msg.subject}")
            print(json.dumps(json.loads(msg.data), ensure_ascii=False, indent=2), flush=True)
    finally:
        await nc.close()


def default_url(environ: Mapping[str, str] = os.environ) -> str:
    """MINZHENG_NATS_URL when set; else the URL ``minzheng up`` recorded in the data dir; else the default."""
    settings = load_settings("tail")
    if "MINZHENG_NATS_URL" not in environ:
        recorded = nats_url_file(settings.data_dir)
        if recorded.is_file():
            return recorded.read_text().strip()
    return settings.nats_url


def main() -> None:
    """Parse arguments and tail until Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("subject", nargs="?", default="civic.>")
    parser.add_argument("--all", action="store_true", help="replay the stream from its start")
    parser.add_argument(
        "--url", default=None, help="default: MINZHENG_NATS_URL, else the NATS a running `make up` uses"
    )
    args = parser.parse_args()
    url = args.url or default_url()
    try:
        asyncio.run(tail(url, args.subject, args.all))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
