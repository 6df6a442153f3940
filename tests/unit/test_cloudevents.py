"""The CloudEvents envelope."""

from __future__ import annotations

import json

import pytest

from services.kit.cloudevents import CloudEvent, event_type, nats_subject, subject_of_type


def test_an_event_round_trips_through_json_with_its_extensions() -> None:
    ce = CloudEvent(
        type="civic.eldercare.bed-assigned.v1",
        source="/minzheng/eldercare",
        subject="bed/1",
        data={"bed_id": "1", "name": "王阿姨"},
        traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        region="330109001",
    )
    raw = ce.to_json()
    assert "王阿姨".encode() in raw  # readable, not \\u-escaped
    obj = json.loads(raw)
    assert obj["specversion"] == "1.0"
    assert obj["time"].endswith("Z")
    back = CloudEvent.from_json(raw)
    assert back == ce


def test_subjects_and_types_follow_the_naming_rule() -> None:
    subject = nats_subject("eldercare", "bed-assigned")
    assert subject == "civic.eldercare.bed-assigned"
    assert event_type(subject) == "civic.eldercare.bed-assigned.v1"
    assert subject_of_type("civic.eldercare.bed-assigned.v1") == subject


@pytest.mark.parametrize("bad", ["Bed", "bed.assigned", "bed>", "*", ""])
def test_wildcards_and_dots_cannot_be_smuggled_into_a_subject(bad: str) -> None:
    with pytest.raises(ValueError):
        nats_subject("eldercare", bad)


def test_a_message_without_required_attributes_is_not_a_cloudevent() -> None:
    with pytest.raises(ValueError, match="missing"):
        CloudEvent.from_json(b'{"specversion": "1.0", "id": "x"}')
