"""Home-safety rules without I/O: the alarm lifecycle, escalation schedules, offline cutoffs, input checks,
and the packaged policy file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from services.eldercare import safety_rules as r
from services.eldercare.safety_policy import load_safety_policy
from services.eldercare.safety_rules import (
    AlarmAction,
    AlarmKind,
    AlarmStatus,
    DeviceKind,
    EscalationLevel,
    EscalationRule,
    OfflineRule,
)
from services.kit.errors import Collector

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)


def test_an_alarm_goes_raised_acknowledged_dispatched_resolved_and_nothing_follows_resolution() -> None:
    assert r.next_status(AlarmStatus.RAISED, AlarmAction.ACKNOWLEDGE) is AlarmStatus.ACKNOWLEDGED
    assert r.next_status(AlarmStatus.ACKNOWLEDGED, AlarmAction.DISPATCH) is AlarmStatus.DISPATCHED
    assert r.next_status(AlarmStatus.DISPATCHED, AlarmAction.DISPATCH) is AlarmStatus.DISPATCHED
    assert r.next_status(AlarmStatus.DISPATCHED, AlarmAction.RESOLVE) is AlarmStatus.RESOLVED
    assert r.next_status(AlarmStatus.ACKNOWLEDGED, AlarmAction.RESOLVE) is AlarmStatus.RESOLVED
    assert r.allowed_actions(AlarmStatus.RESOLVED) == []
    assert r.allowed_actions(AlarmStatus.RAISED) == [AlarmAction.ACKNOWLEDGE]


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (AlarmStatus.RAISED, AlarmAction.DISPATCH),
        (AlarmStatus.RAISED, AlarmAction.RESOLVE),
        (AlarmStatus.ACKNOWLEDGED, AlarmAction.ACKNOWLEDGE),
        (AlarmStatus.RESOLVED, AlarmAction.ACKNOWLEDGE),
        (AlarmStatus.RESOLVED, AlarmAction.RESOLVE),
        (AlarmStatus.RAISED, AlarmAction.RAISE),
    ],
)
def test_a_wrong_step_is_refused_saying_what_the_alarm_allows(
    status: AlarmStatus, action: AlarmAction
) -> None:
    assert r.next_status(status, action) is None
    assert status.value in r.refusal(status, action)


def test_an_escalation_schedule_yields_each_level_once_in_order() -> None:
    schedule = r.escalation_schedule(NOW, EscalationRule(town_after_minutes=3, district_after_minutes=10))
    assert schedule.levels_due(after_level=0, now=NOW + timedelta(minutes=2, seconds=59)) == []
    assert schedule.levels_due(after_level=0, now=NOW + timedelta(minutes=3)) == [EscalationLevel.TOWN]
    assert schedule.next_due(after_level=1) == NOW + timedelta(minutes=10)
    assert schedule.levels_due(after_level=1, now=NOW + timedelta(minutes=5)) == []
    assert schedule.levels_due(after_level=0, now=NOW + timedelta(hours=1)) == [
        EscalationLevel.TOWN,
        EscalationLevel.DISTRICT,
    ]
    assert schedule.levels_due(after_level=2, now=NOW + timedelta(days=9)) == []
    assert schedule.next_due(after_level=2) is None


def test_the_deadline_runs_from_when_the_device_fired_but_never_from_a_clock_ahead_of_ours() -> None:
    assert r.alarm_clock_start(NOW - timedelta(minutes=20), NOW) == NOW - timedelta(minutes=20)
    assert r.alarm_clock_start(NOW + timedelta(minutes=4), NOW) == NOW


def test_escalation_rules_need_the_district_after_the_town_and_offline_rules_positive_minutes() -> None:
    with pytest.raises(ValidationError):
        EscalationRule(town_after_minutes=10, district_after_minutes=10)
    with pytest.raises(ValidationError):
        OfflineRule(offline_after_minutes=0)
    assert r.offline_cutoff(OfflineRule(offline_after_minutes=60), NOW) == NOW - timedelta(hours=1)


def test_devices_raise_only_their_own_kinds_of_alarm() -> None:
    errors = Collector()
    r.check_alarm_fits_device(errors, "kind", AlarmKind.FALL, DeviceKind.FALL_RADAR)
    r.check_alarm_fits_device(errors, "kind", AlarmKind.LOW_BATTERY, DeviceKind.SOS)
    assert errors.violations == []
    r.check_alarm_fits_device(errors, "kind", AlarmKind.FALL, DeviceKind.SMOKE)
    assert [v.field for v in errors.violations] == ["kind"]
    assert all(AlarmKind.TAMPER in kinds or k is DeviceKind.SOS for k, kinds in r.ALARMS_BY_DEVICE.items())


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (r.check_vendor, ["acme", "hik-vision_2"], ["", "ACME", "-acme", "a" * 41, "ac me"]),
        (r.check_serial, ["SOS-0001", "a.b:c_d"], ["", " ", "x" * 65, "序列号", "a/b"]),
        (r.check_vendor_alarm_id, ["V-1", "2025/06/15#7"], ["", "has space", "x" * 101, "中文"]),
    ],
)
def test_vendor_codes_serials_and_alarm_ids_are_checked(
    check: object, good: list[str], bad: list[str]
) -> None:
    for value in good:
        errors = Collector()
        check(errors, "f", value)  # type: ignore[operator]
        assert errors.violations == [], value
    for value in bad:
        errors = Collector()
        check(errors, "f", value)  # type: ignore[operator]
        assert [v.field for v in errors.violations] == ["f"], value


def test_reported_times_may_run_a_little_ahead_but_not_into_the_future_or_far_back() -> None:
    for at, ok in [
        (NOW + timedelta(minutes=4), True),
        (NOW + timedelta(minutes=6), False),
        (NOW - timedelta(days=6), True),
        (NOW - timedelta(days=8), False),
    ]:
        errors = Collector()
        r.check_reported_time(errors, "at", at, now=NOW, max_age=r.MAX_ALARM_AGE)
        assert (errors.violations == []) is ok, at


def test_the_packaged_policy_has_a_rule_for_every_alarm_kind_and_device_kind() -> None:
    policy = load_safety_policy()
    for kind in AlarmKind:
        assert policy.escalation_rule(kind, NOW).town_after_minutes > 0
    for device in DeviceKind:
        assert policy.offline_rule(device, NOW).offline_after_minutes > 0
    # The urgent kinds escalate fastest.
    urgent = {policy.escalation_rule(k, NOW).town_after_minutes for k in (AlarmKind.SOS, AlarmKind.FALL)}
    assert max(urgent) < policy.escalation_rule(AlarmKind.LOW_BATTERY, NOW).town_after_minutes


def test_the_plain_rows_ingestion_writes_have_exactly_the_tables_columns() -> None:
    # Ingestion writes NewAlarmRow / NewStepRow with Core inserts by column name: a column added to
    # the model and not to the row (or the reverse) must fail here, not as a NULL in production.
    from dataclasses import fields

    from services.eldercare.alarm_files import NewAlarmRow, NewStepRow
    from services.eldercare.models import SafetyAlarm, SafetyAlarmStep

    for row, model in ((NewAlarmRow, SafetyAlarm), (NewStepRow, SafetyAlarmStep)):
        assert [f.name for f in fields(row)] == list(model.__table__.c.keys())  # type: ignore[attr-defined]
