"""Service configuration from the environment (pydantic-settings).

Each service reads variables with its own prefix (``ELDERCARE_DATABASE_URL``) and falls back to the
platform-wide prefix (``MINZHENG_NATS_URL``), so one NATS URL or JWT secret serves every process
while each service keeps its own database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

PLATFORM_PREFIX = "MINZHENG_"
DEV_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef"
# Development and tests only: services.kit.iddigest.digest_key refuses it in production.
DEV_ID_DIGEST_KEY = "dev-only-id-digest-key-change-me-0123456789"


class Settings(BaseSettings):
    """Configuration shared by every process; subclassed with a prefix per service."""

    model_config = SettingsConfigDict(env_prefix=PLATFORM_PREFIX, extra="ignore")

    service_name: str = "minzheng"
    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    nats_url: str = "nats://127.0.0.1:4222"
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 0
    jwt_secret: str = DEV_JWT_SECRET
    # Key of the ID-number digests that name people in events (services.kit.iddigest); shared by the
    # services that match people, never the JWT secret. Read through ``iddigest.digest_key``, which
    # refuses the dev key in production (only services that match people need one).
    id_digest_key: str = DEV_ID_DIGEST_KEY
    jwt_issuer: str = "minzheng"
    jwt_audience: str = "minzheng"
    stream_name: str = "CIVIC"
    stream_max_age_days: int = 365
    stream_duplicate_window_s: int = 1200
    stream_replicas: int = 1
    # inline: the service runs its outbox relay; separate: it runs none and `python -m
    # services.kit.relay_main --service <name>` publishes its outbox on a core of its own (kit.relay_main).
    relay: Literal["inline", "separate"] = "inline"
    # gRPC health of that relay process (its probes; kit.relay_main), on grpc_host. 0: a free port.
    relay_health_port: int = 50060
    relay_batch_size: int = 500
    relay_lease_s: float = 30.0
    consumer_max_deliver: int = 5
    # Published outbox rows are kept this long for inspection, then pruned (0 keeps them forever).
    outbox_retention_days: int = 7
    # The regions a service acts for when no caller is present (event handlers, jobs); JSON list.
    service_regions: tuple[str, ...] = ("330109",)
    otel_exporter: Literal["none", "console", "otlp"] = "none"
    otel_endpoint: str = ""
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "text"] = "auto"

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> Settings:
        if self.environment == "production" and (
            self.jwt_secret == DEV_JWT_SECRET or len(self.jwt_secret) < 32
        ):
            raise ValueError("MINZHENG_JWT_SECRET must be set to a secret of ≥ 32 characters in production")
        if self.environment == "production" and not self.database_url:
            raise ValueError(f"{self.service_name.upper()}_DATABASE_URL must be set in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The configured database, or a SQLite file under the data dir (the embedded default)."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{self.service_name}.db').resolve()}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The service prefix wins over the platform prefix; init kwargs (tests) win over both.
        platform = EnvSettingsSource(settings_cls, env_prefix=PLATFORM_PREFIX)
        return init_settings, env_settings, platform, dotenv_settings, file_secret_settings


def load_settings(service: str, **overrides: Any) -> Settings:
    """Settings for one service: ``<SERVICE>_*`` variables first, then ``MINZHENG_*``."""
    prefix = f"{service.upper()}_"
    cls = type(
        f"{service.title()}Settings",
        (Settings,),
        {"model_config": SettingsConfigDict(env_prefix=prefix, extra="ignore")},
    )
    overrides.setdefault("service_name", service)
    return cls(**overrides)
