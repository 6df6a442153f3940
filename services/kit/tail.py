"""``python -m services.kit.tail [SUBJECT]``: print CloudEvents from the CIVIC stream as they arrive.

A newcomer's way to watch NATS; it reads new messages only and never acks or creates durables.
"""

from __future__ import annotations

import argparse
import asyncio
import json

import nats
from nats.js.api import DeliverPolicy

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


def main() -> None:
    """Parse arguments and tail until Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("subject", nargs="?", default="civic.>")
    parser.add_argument("--all", action="store_true", help="replay the stream from its start")
    parser.add_argument("--url", default=None, help="default: MINZHENG_NATS_URL")
    args = parser.parse_args()
    url = args.url or load_settings("tail").nats_url
    try:
        asyncio.run(tail(url, args.subject, args.all))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
