"""How relief runs: its gRPC services, migrations, clock and standards.

The clock is injected here, not read inside the service functions: ``make_spec(clock=...)`` gives tests
a service whose "now" they move (DESIGN §3). The standards come from ``$RELIEF_STANDARDS_FILE`` or the
packaged ``relief_standards.yaml`` (``standards.load_standards``), read once when the servicers are
built, so a broken policy file stops the service at start instead of failing calls; so are the relief
items and re-check cadence of applications (``application_policy``, ``relief_items.yaml``). Payments
and discovery come with the later items of issue 6; the one job so far completes the ID-number
digests after a key rotation (``digests``).
"""

from __future__ import annotations

from pathlib import Path

import grpc

from services.kit.iddigest import digest_key
from services.kit.service import Job, ServiceContext, ServiceSpec
from services.relief import application_api, digests, eligibility_api, household_api
from services.relief.application_policy import load_application_policy
from services.relief.clock import Clock, system_clock
from services.relief.standards import load_standards


def make_spec(*, clock: Clock = system_clock, standards_path: str | None = None) -> ServiceSpec:
    """The service description, with the clock and standards its servicers use."""

    def register(server: grpc.aio.Server, ctx: ServiceContext) -> None:
        book = load_standards(standards_path)
        key = digest_key(ctx.settings)
        household_api.register(server, ctx, clock=clock, key=key)
        eligibility_api.register(server, ctx, clock=clock, book=book)
        policy = load_application_policy()
        application_api.register(server, ctx, clock=clock, book=book, policy=policy, key=key)

    def jobs(ctx: ServiceContext) -> list[Job]:
        # Digests of people who have none under the current key (after a key rotation: everyone).
        return [digests.digest_job(ctx.db, key=digest_key(ctx.settings))]

    return ServiceSpec(
        name="relief",
        grpc_service_names=[
            household_api.SERVICE_NAME,
            eligibility_api.SERVICE_NAME,
            application_api.SERVICE_NAME,
        ],
        register=register,
        migrations=Path(__file__).resolve().parent / "migrations",
        jobs=jobs,
    )


SPEC = make_spec()
