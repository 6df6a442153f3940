"""The relay's wire bytes (payload spliced in) equal the CloudEvent the row stands for."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from services.kit.cloudevents import CloudEvent, format_time
from services.kit.outbox import OutboxEvent, cloudevent_json, outbox_row

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
DATA = [
    {"bed_id": "1", "name": "王阿姨"},
    {
        "person": {"name": '李 "小" 明', "tags": ["独居", "失能"], "address": {"街道": "西湖", "no": 3}},
        "score": 1.5,
        "ok": True,
        "none": None,
        "empty": {},
        "list": [],
        "esc": "a\\b\n\t\u2028",
    },
    {},
]
TIMES = [
    datetime(2024, 5, 1, 8, 30, 15, 123456, tzinfo=UTC),
    datetime(2024, 5, 1, 8, 30, 15, tzinfo=UTC),  # no microseconds
    datetime(2024, 5, 1, 16, 30, 15, 5, tzinfo=timezone(timedelta(hours=8))),  # PostgreSQL, non-UTC session
]


def _same(row: object) -> None:
    expected = OutboxEvent.model_validate(row.__dict__).to_cloudevent().to_json()  # type: ignore[attr-defined]
    raw = cloudevent_json(row)
    assert json.loads(raw) == json.loads(expected)
    assert "王".encode() not in expected or "王".encode() in raw  # Chinese stays readable


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("when", TIMES)
@pytest.mark.parametrize(
    "extras",
    [
        {"subject": "bed/1", "region": "330109001", "traceparent": TRACEPARENT},
        {"subject": None, "region": None, "traceparent": None},
        {"subject": '床位 "7"', "region": "", "traceparent": ""},
    ],
)
def test_spliced_wire_bytes_parse_to_the_same_event(
    data: dict[str, object], when: datetime, extras: dict[str, str | None]
) -> None:
    ce = CloudEvent(
        type="civic.eldercare.bed-assigned.v1",
        source="/minzheng/eldercare",
        data=data,
        time=when,
        **extras,  # type: ignore[arg-type]
    )
    row = outbox_row(ce)
    _same(row)
    # A Core row from the claim has the same attributes; SQLite gives back naive UTC times.
    core = SimpleNamespace(**{k: getattr(row, k) for k in OutboxEvent.model_fields})
    _same(core)
    naive = SimpleNamespace(**{**core.__dict__, "created_at": when.astimezone(UTC).replace(tzinfo=None)})
    _same(naive)
    assert json.loads(cloudevent_json(core)) == json.loads(ce.to_json())
    assert CloudEvent.from_json(cloudevent_json(core)) == CloudEvent.from_json(ce.to_json())


@pytest.mark.parametrize("stored", ['[1, "二"]', ' {"a": 1} ', '"x"'])
def test_a_payload_that_is_not_a_bare_object_is_reencoded(stored: str) -> None:
    row = OutboxEvent(
        id="e1",
        nats_subject="civic.eldercare.bed-assigned",
        type="civic.eldercare.bed-assigned.v1",
        source="/minzheng/eldercare",
        data=stored,
        created_at=TIMES[0],
    )
    assert json.loads(cloudevent_json(row)) == json.loads(row.to_cloudevent().to_json())


def test_bad_payload_json_still_raises() -> None:
    row = SimpleNamespace(data="not json", id="e1", source="s", type="t", created_at=TIMES[0])
    with pytest.raises(ValueError):
        cloudevent_json(row)


@pytest.mark.parametrize("when", TIMES)
def test_time_fast_path_matches_the_envelope(when: datetime) -> None:
    assert format_time(when) == when.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert format_time(when.astimezone(UTC).replace(tzinfo=None)) == format_time(when)
