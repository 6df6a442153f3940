"""SQL building blocks shared by the service modules: region ranges and the visit-programme conditions.

The conditions are computed for one day and one policy, so "overdue" is decided by the database at
query time from ``child.visit_anchor_on`` and never stored (DESIGN §6: DHIS2's stored OVERDUE drifted).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import col

from services.childwelfare import rules
from services.childwelfare.models import Child
from services.childwelfare.rules import VisitPolicy


def is_minor(today: date) -> sa.ColumnElement[bool]:
    """Children who have not turned 18 by ``today``."""
    return col(Child.birth_date) > rules.adult_cutoff(today)


def in_programme(policy: VisitPolicy, today: date) -> sa.ColumnElement[bool]:
    """Minors whose current category needs home visits on ``today``."""
    categories = [c.value for c in policy.cadences_on(today)]
    if not categories:
        return sa.false()
    return sa.and_(col(Child.category).in_(categories), is_minor(today))


def overdue(policy: VisitPolicy, today: date) -> sa.ColumnElement[bool]:
    """Children in the programme whose visit is overdue on ``today``: one anchor range per category."""
    per_category = [
        sa.and_(
            col(Child.category) == category.value,
            col(Child.visit_anchor_on) < rules.overdue_anchor_cutoff(today, cadence),
        )
        for category, cadence in policy.cadences_on(today).items()
    ]
    if not per_category:
        return sa.false()
    return sa.and_(sa.or_(*per_category), is_minor(today))
