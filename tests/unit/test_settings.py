"""Settings: service prefix, platform prefix, production guards."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.kit.settings import load_settings


def test_the_service_prefix_wins_over_the_platform_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINZHENG_NATS_URL", "nats://shared:4222")
    monkeypatch.setenv("MINZHENG_GRPC_PORT", "1")
    monkeypatch.setenv("ELDERCARE_GRPC_PORT", "50051")
    s = load_settings("eldercare")
    assert s.nats_url == "nats://shared:4222"
    assert s.grpc_port == 50051
    assert load_settings("gateway").grpc_port == 1


def test_the_default_database_is_a_sqlite_file_per_service(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = load_settings("eldercare", data_dir=tmp_path)
    assert s.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path / 'eldercare.db'}"


def test_production_refuses_the_dev_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINZHENG_ENVIRONMENT", "production")
    monkeypatch.setenv("ELDERCARE_DATABASE_URL", "postgresql+psycopg://db/eldercare")
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        load_settings("eldercare")
    monkeypatch.setenv("MINZHENG_JWT_SECRET", "x" * 40)
    assert load_settings("eldercare").environment == "production"


def test_production_needs_a_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINZHENG_ENVIRONMENT", "production")
    monkeypatch.setenv("MINZHENG_JWT_SECRET", "x" * 40)
    with pytest.raises(ValidationError, match="ELDERCARE_DATABASE_URL"):
        load_settings("eldercare")
