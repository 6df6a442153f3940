"""Pure rules of family-care beds (家庭养老照护床位): the services that may be attached and how often.

The kinds are those the seeds name for the integrated home scene (seed 001 §"e床养老", seed 002: 民政的
家庭养老床位、居家上门服务, 卫健的家庭病床、居家康复护理, 残联的残疾人社区康复; seed 004: 喘息服务, 助餐配送),
each owned by one department, so the cockpit can say who delivers what in an elder's home.
"""

from __future__ import annotations

from enum import StrEnum

from services.kit.errors import Collector

MAX_TIMES = 31  # a daily service in a month; more is a typing slip
MAX_PROVIDER_LENGTH = 100
MAX_REASON_LENGTH = 200
MAX_BEDS_LISTED = 100


class Department(StrEnum):
    """Who delivers a kind of service."""

    CIVIL_AFFAIRS = "civil_affairs"  # 民政
    HEALTH = "health"  # 卫健
    DISABLED_PERSONS_FEDERATION = "disabled_persons_federation"  # 残联


class ServiceKind(StrEnum):
    """What is delivered in the elder's home."""

    HOME_CARE = "home_care"  # 居家养老上门服务
    SAFETY_MONITORING = "safety_monitoring"  # 安居守护
    AGE_FRIENDLY_RENOVATION = "age_friendly_renovation"  # 适老化改造
    MEAL_DELIVERY = "meal_delivery"  # 助餐配送
    RESPITE_CARE = "respite_care"  # 喘息服务
    HOME_HOSPITAL_BED = "home_hospital_bed"  # 家庭病床
    HOME_REHABILITATION = "home_rehabilitation"  # 居家康复护理
    DISABILITY_REHABILITATION = "disability_rehabilitation"  # 无障碍改造 / 残疾人社区康复


DEPARTMENT: dict[ServiceKind, Department] = {
    ServiceKind.HOME_CARE: Department.CIVIL_AFFAIRS,
    ServiceKind.SAFETY_MONITORING: Department.CIVIL_AFFAIRS,
    ServiceKind.AGE_FRIENDLY_RENOVATION: Department.CIVIL_AFFAIRS,
    ServiceKind.MEAL_DELIVERY: Department.CIVIL_AFFAIRS,
    ServiceKind.RESPITE_CARE: Department.CIVIL_AFFAIRS,
    ServiceKind.HOME_HOSPITAL_BED: Department.HEALTH,
    ServiceKind.HOME_REHABILITATION: Department.HEALTH,
    ServiceKind.DISABILITY_REHABILITATION: Department.DISABLED_PERSONS_FEDERATION,
}


class ServicePeriod(StrEnum):
    """The period ``times`` counts in; a one-off service (a renovation) is delivered once."""

    WEEK = "week"
    MONTH = "month"
    ONCE = "once"


def check_frequency(errors: Collector, *, times: int, period: ServicePeriod | None) -> None:
    """1-7 a week or 1-31 a month (daily at most), exactly 1 for a one-off."""
    if period is None:
        return
    if period is ServicePeriod.ONCE:
        errors.check(times == 1, "times", "must be 1 for a one-off service")
        return
    limit = 7 if period is ServicePeriod.WEEK else MAX_TIMES
    errors.check(1 <= times <= limit, "times", f"must be between 1 and {limit} a {period.value}")
