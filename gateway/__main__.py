"""``python -m gateway``: serve the gateway with uvicorn on the configured host and port."""

from __future__ import annotations

import uvicorn

from gateway.app import create_app
from gateway.settings import GatewaySettings
from services.kit.logs import setup_logging
from services.kit.telemetry import setup_tracing


def main() -> None:
    """Configure logging and tracing, then serve until SIGTERM/SIGINT (uvicorn shuts down gracefully)."""
    settings = GatewaySettings()
    setup_logging(settings.service_name, settings.log_level, settings.log_format)
    setup_tracing(settings.service_name, settings.otel_exporter, settings.otel_endpoint)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,  # keep the platform's log format instead of uvicorn's own
        ws="websockets-sansio",
        proxy_headers=True,
    )


if __name__ == "__main__":
    main()
