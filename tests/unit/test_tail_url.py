"""kit.tail finds the NATS that ``make up`` runs with, when it is not on the default port."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.kit.launcher import nats_url_file
from services.kit.tail import default_url


def test_the_url_make_up_recorded_unless_the_environment_names_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINZHENG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MINZHENG_NATS_URL", raising=False)
    assert default_url({}) == "nats://127.0.0.1:4222"  # nothing running: the default
    nats_url_file(tmp_path).write_text("nats://127.0.0.1:50597\n")
    assert default_url({}) == "nats://127.0.0.1:50597"
    monkeypatch.setenv("MINZHENG_NATS_URL", "nats://elsewhere:4222")
    assert default_url({"MINZHENG_NATS_URL": "nats://elsewhere:4222"}) == "nats://elsewhere:4222"
