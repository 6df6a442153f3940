"""A relay in its own process, for the crash test: ``python -m tests.contract.kit.relay_proc``.

``--slow-mark S --slow-from K`` waits S seconds between publishing batch K (and later ones) and
marking it, so the test can SIGKILL the process exactly there. Prints ``published <n>`` after each
batch reaches JetStream and, on a clean finish (no unpublished rows left), one JSON line of counters.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from nats.js.api import PubAck

from services.kit.db import Database
from services.kit.nats_conn import connect
from services.kit.outbox import OutboxEvent
from services.kit.relay import OutboxRelay
from services.kit.settings import Settings
from tests.contract.kit.support import unpublished


class SlowMarkRelay(OutboxRelay):
    """A relay that reports each published batch and dawdles before marking it."""

    slow_mark_s = 0.0
    slow_from = 1
    batches = 0

    async def _record(
        self, rows: Sequence[OutboxEvent], acks: dict[str, PubAck], failed: dict[str, str], now: datetime
    ) -> None:
        self.batches += 1
        sys.stdout.write(f"published {len(acks)}\n")
        sys.stdout.flush()
        if self.batches >= self.slow_from:
            await asyncio.sleep(self.slow_mark_s)
        await super()._record(rows, acks, failed, now)


async def main() -> None:
    """Relay until the outbox is empty."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--nats", required=True)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--lease", type=float, default=2.0)
    parser.add_argument("--slow-mark", type=float, default=0.0)
    parser.add_argument("--slow-from", type=int, default=1)
    args = parser.parse_args()
    settings = Settings(environment="test", nats_url=args.nats, database_url=args.database)
    db = Database(args.database)
    nc = await connect(args.nats, name="relay-proc")
    relay = SlowMarkRelay(
        db, nc.jetstream(), settings, batch_size=args.batch, lease_s=args.lease, publish_timeout_s=0.5
    )
    relay.slow_mark_s, relay.slow_from = args.slow_mark, args.slow_from
    try:
        while await unpublished(db):
            if not await relay.publish_pending():
                await asyncio.sleep(0.1)
        sys.stdout.write(json.dumps(asdict(relay.stats)) + "\n")
    finally:
        await nc.close()
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
