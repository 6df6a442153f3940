"""Child-welfare tables: children (one file each), category history, guardians, the network, visits, audit.

Every row that belongs somewhere carries its village's region code, indexed, so region scoping is a
range scan on the row itself and never a join (DESIGN §6, dhis2-core #23492). Overdue is never stored:
``child.visit_anchor_on`` (the later of the last visit and the start of the current category) and the
category's cadence decide it at query time, so the overdue scan is one indexed range per category.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from services.kit.columns import region_code_type, utc_datetime


class ChildWelfareTable(SQLModel, registry=registry()):
    """Base of child welfare's tables: its own metadata, so other services' tables never clash."""


METADATA = ChildWelfareTable.metadata


class Child(ChildWelfareTable, table=True):
    """One child's file (一人一档): who, where, the current category and the visit clock."""

    __tablename__ = "child"
    __table_args__ = (
        sa.UniqueConstraint("id_number", name="uq_child_id_number"),
        # Listing and paging by region (keyset region_code, id); compliance groups by region_code.
        sa.Index("ix_child_region", "region_code", "id"),
        # The overdue scan: per visit category, anchors before a cutoff (district-wide or in a region).
        sa.Index("ix_child_category_anchor_id", "category", "visit_anchor_on", "id"),
        sa.Index("ix_child_region_category_anchor", "region_code", "category", "visit_anchor_on"),
    )

    id: str = Field(primary_key=True, max_length=36)
    id_number: str = Field(max_length=18)
    name: str = Field(max_length=50)
    sex: str = Field(max_length=1)
    birth_date: date
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    category: str = Field(max_length=40)
    category_since: date
    last_visit_on: date | None = Field(default=None)
    visit_anchor_on: date
    registered_at: datetime = Field(sa_column=utc_datetime())
    registered_by: str = Field(max_length=200)


class CategoryPeriod(ChildWelfareTable, table=True):
    """A span of time a child was in one category; the open one (no effective_to) is current."""

    __tablename__ = "category_period"
    __table_args__ = (
        sa.Index("ix_category_period_child", "child_id", "effective_from"),
        # Per category, the periods in force on a day, from the index alone (the allowance run, the
        # indicators); walked in child-id order for the allowance run's chunks (migration 0008).
        sa.Index(
            "ix_category_period_category_child_from_to",
            "category",
            "child_id",
            "effective_from",
            "effective_to",
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    child_id: str = Field(foreign_key="child.id", max_length=36)
    category: str = Field(max_length=40)
    effective_from: date
    effective_to: date | None = Field(default=None)
    reason: str = Field(default="", max_length=200)
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)


class Guardian(ChildWelfareTable, table=True):
    """Someone responsible for a child, and how to reach them."""

    __tablename__ = "guardian"
    __table_args__ = (sa.Index("ix_guardian_child", "child_id", "position"),)

    id: str = Field(primary_key=True, max_length=36)
    child_id: str = Field(foreign_key="child.id", max_length=36)
    position: int
    name: str = Field(max_length=50)
    relation: str = Field(max_length=20)
    contact: str = Field(default="", max_length=50)
    is_primary: bool = Field(default=False)


class NetworkMember(ChildWelfareTable, table=True):
    """A tenure of a town supervisor or village child director; ended tenures stay as history."""

    __tablename__ = "network_member"
    __table_args__ = (
        sa.Index("ix_network_member_region", "region_code", "role"),
        sa.Index("ix_network_member_subject", "subject", "role"),
        # One current member per region (a town's supervisor, a village's director), enforced by the
        # database so two concurrent assignments cannot both win.
        sa.Index(
            "uq_network_member_current",
            "region_code",
            unique=True,
            sqlite_where=sa.text("ended_on IS NULL"),
            postgresql_where=sa.text("ended_on IS NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    role: str = Field(max_length=20)
    subject: str = Field(max_length=200)
    name: str = Field(max_length=50)
    contact: str = Field(default="", max_length=50)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    assigned_on: date
    ended_on: date | None = Field(default=None)
    assigned_by: str = Field(max_length=200)


class Visit(ChildWelfareTable, table=True):
    """One home visit and what the visitor found."""

    __tablename__ = "visit"
    __table_args__ = (
        sa.Index("ix_visit_child_on", "child_id", "visited_on"),
        sa.Index("ix_visit_region_on", "region_code", "visited_on"),
    )

    id: str = Field(primary_key=True, max_length=36)
    child_id: str = Field(foreign_key="child.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    visited_on: date
    visited_by: str = Field(max_length=200)
    living_conditions: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    schooling: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    guardianship: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    risk_level: str = Field(max_length=10)
    notes: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    recorded_at: datetime = Field(sa_column=utc_datetime())


class OverdueNotice(ChildWelfareTable, table=True):
    """A child-visit-overdue event that was staged: one per child, overdue period and escalation level.

    A record of what was announced, not a status: whether a child is overdue is still computed from
    ``child.visit_anchor_on``. It outlives the outbox row (pruned a few days after publishing), so a
    scan weeks later still knows the period and level were announced. ``id`` is the event id.
    """

    __tablename__ = "overdue_notice"
    __table_args__ = (sa.Index("ix_overdue_notice_child", "child_id", "anchor_on", "level"),)

    id: str = Field(primary_key=True, max_length=36)
    child_id: str = Field(foreign_key="child.id", max_length=36)
    period: str = Field(max_length=10)
    level: str = Field(max_length=10)
    anchor_on: date
    due_on: date
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    notified_at: datetime = Field(sa_column=utc_datetime())


class AllowanceRun(ChildWelfareTable, table=True):
    """One run of the monthly basic living allowance (the n-th for its month); ``id`` is its event id.

    ``finished_at`` is null while the run is under way, and stays null when it crashed: the payments
    it made are kept (each chunk commits) and the next run reports them in its summary.
    """

    __tablename__ = "allowance_run"
    __table_args__ = (sa.UniqueConstraint("period", "sequence", name="uq_allowance_run_period_sequence"),)

    id: str = Field(primary_key=True, max_length=36)
    programme: str = Field(max_length=40)
    period: str = Field(max_length=7)
    sequence: int
    started_at: datetime = Field(sa_column=utc_datetime())
    finished_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    paid_count: int = Field(default=0)
    total_fen: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False))
    skipped_count: int = Field(default=0)
    reported_count: int = Field(default=0)


class AllowancePayment(ChildWelfareTable, table=True):
    """One month's basic living allowance to one child: at most one per (child, programme, period).

    Records the amount in fen and the policy entry it used (key and effective_from), so a standard
    changing later never rewrites what was paid. ``reported_in`` is the run whose summary event
    counted it (null until a run completes: a crashed run's payments are reported by the next run).
    """

    __tablename__ = "allowance_payment"
    __table_args__ = (
        sa.UniqueConstraint("child_id", "programme", "period", name="uq_allowance_payment_child_period"),
        sa.Index("ix_allowance_payment_period_reported", "period", "reported_in"),
        sa.Index("ix_allowance_payment_region_period", "region_code", "period"),
    )

    id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    )
    child_id: str = Field(foreign_key="child.id", max_length=36)
    programme: str = Field(max_length=40)
    period: str = Field(max_length=7)
    category: str = Field(max_length=40)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    amount_fen: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    policy_key: str = Field(max_length=40)
    policy_effective_from: date
    run_id: str = Field(max_length=36)
    reported_in: str | None = Field(default=None, max_length=36)
    paid_at: datetime = Field(sa_column=utc_datetime())


# --- Adoption registrations, children's homes and town protection stations (migration 0005) ---


class AdoptionRegistration(ChildWelfareTable, table=True):
    """One adoption (收养登记) from application through assessment (收养评估) to registration or not.

    District-level and sensitive: no events are published about it. ``child_id`` links a registered
    child's file when there is one; the child's ID number is kept either way (shown masked unless the
    role may see it). ``status`` moves applied → assessed → registered / refused, or to withdrawn.
    """

    __tablename__ = "adoption_registration"
    __table_args__ = (
        sa.Index("ix_adoption_registration_region", "region_code", "id"),
        sa.Index("ix_adoption_registration_status_region", "status", "region_code", "id"),
        sa.UniqueConstraint("certificate_number", name="uq_adoption_registration_certificate"),
        # One live adoption per child: an open application or a completed registration blocks another.
        sa.Index(
            "uq_adoption_registration_child_live",
            "child_id_number",
            unique=True,
            sqlite_where=sa.text("status IN ('applied', 'assessed', 'registered')"),
            postgresql_where=sa.text("status IN ('applied', 'assessed', 'registered')"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    child_id: str | None = Field(default=None, foreign_key="child.id", max_length=36)
    child_id_number: str = Field(max_length=18)
    child_name: str = Field(max_length=50)
    child_birth_date: date
    child_sex: str = Field(max_length=1)
    applied_on: date
    status: str = Field(max_length=12)
    assessment_result: str | None = Field(default=None, max_length=12)
    assessed_on: date | None = Field(default=None)
    assessed_by: str | None = Field(default=None, max_length=100)
    assessment_notes: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    decided_on: date | None = Field(default=None)
    certificate_number: str | None = Field(default=None, max_length=40)
    decision_reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)
    updated_at: datetime = Field(sa_column=utc_datetime())


class Adopter(ChildWelfareTable, table=True):
    """One of the (one or two) adopters of an adoption registration, and how they relate to the child."""

    __tablename__ = "adopter"
    __table_args__ = (sa.Index("ix_adopter_adoption", "adoption_id", "position"),)

    id: str = Field(primary_key=True, max_length=36)
    adoption_id: str = Field(foreign_key="adoption_registration.id", max_length=36)
    position: int
    name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    sex: str = Field(max_length=1)
    birth_date: date
    relation: str = Field(max_length=20)


class ChildrenHome(ChildWelfareTable, table=True):
    """A village's children's home (儿童之家); its current level is denormalised from the level history.

    Closed homes stay (``closed_on``); at most one open home per village, enforced by the database.
    """

    __tablename__ = "children_home"
    __table_args__ = (
        sa.Index("ix_children_home_region", "region_code", "id"),
        sa.Index(
            "uq_children_home_open",
            "region_code",
            unique=True,
            sqlite_where=sa.text("closed_on IS NULL"),
            postgresql_where=sa.text("closed_on IS NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    name: str = Field(max_length=100)
    level: str = Field(max_length=20)
    tier: str | None = Field(default=None, max_length=20)
    opened_on: date
    closed_on: date | None = Field(default=None)
    close_reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)


class ChildrenHomeLevel(ChildWelfareTable, table=True):
    """A span during which a children's home held one level (and tier); the open one is current."""

    __tablename__ = "children_home_level"
    __table_args__ = (sa.Index("ix_children_home_level_home", "home_id", "effective_from"),)

    id: str = Field(primary_key=True, max_length=36)
    home_id: str = Field(foreign_key="children_home.id", max_length=36)
    level: str = Field(max_length=20)
    tier: str | None = Field(default=None, max_length=20)
    effective_from: date
    effective_to: date | None = Field(default=None)
    reason: str = Field(default="", max_length=200)
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)


class ProtectionStation(ChildWelfareTable, table=True):
    """A town's minors' protection station (未成年人保护工作站): one per town."""

    __tablename__ = "protection_station"
    __table_args__ = (sa.UniqueConstraint("region_code", name="uq_protection_station_town"),)

    id: str = Field(primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    name: str = Field(max_length=100)
    opened_on: date
    staff_count: int
    contact: str = Field(default="", max_length=50)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)


# --- Proposals from other services' events (handlers.py, proposals.py) ---------------------------------


class ChildIdentityDigest(ChildWelfareTable, table=True):
    """A child's ID-number digest under one key (inbound.id_number_digest), to match other services' events.

    Other services name people by a keyed digest, never the clear number (DESIGN §3); a digest cannot be
    reversed, so each child's is computed here and indexed. ``key_id`` fingerprints the key: after a
    key rotation the old rows simply stop matching and are recomputed.
    """

    __tablename__ = "child_identity_digest"
    __table_args__ = (sa.UniqueConstraint("key_id", "digest", name="uq_child_identity_digest"),)

    child_id: str = Field(foreign_key="child.id", primary_key=True, max_length=36)
    key_id: str = Field(primary_key=True, max_length=16)
    digest: str = Field(max_length=64)


class Proposal(ChildWelfareTable, table=True):
    """A worklist item raised by another service's event: a category change or a re-assessment to decide.

    Never a silent change: a town officer accepts (the category change is applied then, with history)
    or rejects it with a note. ``topic`` says what the proposal is about (e.g. ``category:dibao_family``,
    ``guardian-died``); at most one proposal per child and topic is open, enforced by the database.
    """

    __tablename__ = "proposal"
    __table_args__ = (
        # The worklist: by region (keyset region_code, id), optionally one status.
        sa.Index("ix_proposal_region", "region_code", "id"),
        sa.Index("ix_proposal_status_region", "status", "region_code", "id"),
        sa.Index("ix_proposal_child", "child_id"),
        sa.Index(
            "uq_proposal_open_topic",
            "child_id",
            "topic",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    child_id: str = Field(foreign_key="child.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    kind: str = Field(max_length=20)
    topic: str = Field(max_length=60)
    priority: str = Field(max_length=10)
    current_category: str = Field(max_length=40)
    proposed_category: str | None = Field(default=None, max_length=40)
    reason: str = Field(max_length=500)
    source_subject: str = Field(max_length=200)
    source_event_id: str = Field(max_length=200)
    proposed_at: datetime = Field(sa_column=utc_datetime())
    status: str = Field(max_length=10)
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    note: str = Field(default="", max_length=500)


# --- Protection cases (五位一体 / 强制报告) -------------------------------------------------------------
# A reported child may not be in the registry yet (a street child, a child of an ordinary family): the
# case keeps the name and, when given, the validated ID number, and links ``child_id`` when that number
# is registered. The ID number is kept in clear like ``child.id_number`` — the police and the
# procuratorate need the identity, and a later registration must find the case — and like it is masked
# on every read unless the role may see it (clear reads audited) and never put in an event.


class ProtectionCase(ChildWelfareTable, table=True):
    """One protection case, opened by a mandatory report; ``state`` is where it stands now.

    ``response_due_at`` is fixed when the report comes in (the policy of that day); whether the response
    is overdue is computed from it and the state, never stored. ``step_count`` numbers the steps and
    makes two concurrent steps on one case collide on ``uq_case_step_case_sequence``.
    """

    __tablename__ = "protection_case"
    __table_args__ = (
        # Listing newest first within the caller's regions.
        sa.Index("ix_protection_case_region_reported", "region_code", "reported_at"),
        # The escalation scan and the response-overdue filter: unanswered reports by deadline.
        sa.Index("ix_protection_case_state_due", "state", "response_due_at"),
        sa.Index("ix_protection_case_child", "child_id"),
    )

    id: str = Field(primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    child_id: str | None = Field(default=None, foreign_key="child.id", max_length=36)
    child_name: str = Field(max_length=50)
    id_number: str | None = Field(default=None, max_length=18)
    state: str = Field(max_length=20)
    source: str = Field(max_length=20)
    concern: str = Field(max_length=20)
    description: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    informant: str = Field(default="", max_length=200)
    reported_by: str = Field(max_length=200)
    reported_at: datetime = Field(sa_column=utc_datetime())
    response_due_at: datetime = Field(sa_column=utc_datetime())
    responded_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    responded_by: str | None = Field(default=None, max_length=200)
    intervention: str | None = Field(default=None, max_length=30)
    placement_kind: str | None = Field(default=None, max_length=20)
    placement_name: str | None = Field(default=None, max_length=100)
    placement_contact: str | None = Field(default=None, max_length=50)
    placement_start_on: date | None = Field(default=None)
    closed_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    close_reason: str | None = Field(default=None, max_length=30)
    step_count: int = Field(default=0)


class CaseStep(ChildWelfareTable, table=True):
    """One step of a case's history: from which state to which, who, when, why, and what was done."""

    __tablename__ = "case_step"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "sequence", name="uq_case_step_case_sequence"),
        # Indicators: temporary guardianships started per region and year.
        sa.Index("ix_case_step_region_intervention", "region_code", "intervention", "at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(foreign_key="protection_case.id", max_length=36)
    sequence: int
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    from_state: str | None = Field(default=None, max_length=20)
    to_state: str = Field(max_length=20)
    note: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    actor: str = Field(max_length=200)
    at: datetime = Field(sa_column=utc_datetime())
    intervention: str | None = Field(default=None, max_length=30)
    placement_kind: str | None = Field(default=None, max_length=20)
    placement_name: str | None = Field(default=None, max_length=100)
    placement_contact: str | None = Field(default=None, max_length=50)
    placement_start_on: date | None = Field(default=None)
    close_reason: str | None = Field(default=None, max_length=30)


class CaseConference(ChildWelfareTable, table=True):
    """A case conference (个案会商): when, who took part, what was decided."""

    __tablename__ = "case_conference"
    __table_args__ = (sa.Index("ix_case_conference_case", "case_id", "held_on"),)

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(foreign_key="protection_case.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    held_on: date
    # One participant per line ("name (organisation)"); a list of short strings, never queried inside.
    participants: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    decisions: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_column=utc_datetime())


class CaseEscalation(ChildWelfareTable, table=True):
    """A protection-case-escalated event that was staged: at most one per case (the 24 h rule).

    ``id`` is the event id, derived from the case id, so a re-run or a second replica computes the same
    id and its insert conflicts; the unique ``case_id`` says "once per case" in the schema itself. It
    outlives the outbox row, which housekeeping prunes days after publishing.
    """

    __tablename__ = "case_escalation"
    __table_args__ = (sa.UniqueConstraint("case_id", name="uq_case_escalation_case"),)

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(foreign_key="protection_case.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    response_due_at: datetime = Field(sa_column=utc_datetime())
    escalated_at: datetime = Field(sa_column=utc_datetime())
