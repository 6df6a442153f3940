"""Gateway configuration: ``GATEWAY_*`` variables first, then the platform-wide ``MINZHENG_*``."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from services.kit.settings import DEV_JWT_SECRET, Settings


class GatewaySettings(Settings):
    """The gateway's settings: where the services listen, where it serves, and the query limits."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    host: str = "127.0.0.1"
    port: int = 8000
    # The launcher gives services consecutive ports from 50051 in this order.
    eldercare_addr: str = "127.0.0.1:50051"
    childwelfare_addr: str = "127.0.0.1:50052"
    relief_addr: str = "127.0.0.1:50053"
    grpc_timeout_s: float = 5.0
    readiness_timeout_s: float = 1.0
    max_query_depth: int = 10
    max_query_tokens: int = 2000
    max_query_aliases: int = 15
    graphiql: bool = True
    # Cross-origin calls are refused unless origins are listed (JSON list in the environment).
    cors_origins: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> GatewaySettings:
        # Overrides the base check: the gateway owns no data, so it needs no database URL.
        if self.environment == "production" and (
            self.jwt_secret == DEV_JWT_SECRET or len(self.jwt_secret) < 32
        ):
            raise ValueError("MINZHENG_JWT_SECRET must be set to a secret of ≥ 32 characters in production")
        return self

    @property
    def service_targets(self) -> dict[str, str]:
        """Each service the gateway calls, by name, and its gRPC address."""
        return {
            "eldercare": self.eldercare_addr,
            "childwelfare": self.childwelfare_addr,
            "relief": self.relief_addr,
        }
