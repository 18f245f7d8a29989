from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    exists,
    false,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.auth.models import User
from app.clock import utcnow
from app.extensions import db
from app.org.models import Unit
from app.workflow import Kind, Status

CASE_KINDS = (Kind.DEVIATION, Kind.LEX_SARAH, Kind.COMPLAINT)  # the reports (categories, statistics)


class Category(db.Model):
    """One entry of a kind's category list. The lists are data an admin edits, not code.

    A category is deactivated rather than deleted, so that old cases and the
    statistics of earlier years keep their words.
    """

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_categories_kind_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    # The admin marks the categories that describe abuse (fysiska, psykiska, sexuella, ekonomiska
    # övergrepp): a deviation filed with one is first offered as a lex Sarah report (app.intake).
    describes_abuse: Mapped[bool] = mapped_column(server_default=false())


# --- the case and what hangs off it --------------------------------------------------------

case_categories = Table(
    "case_categories",
    db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("categories.id"), primary_key=True, index=True),
)

CLIENT_GENDERS = ("female", "male", "other", "unknown")
LEX_SARAH_TYPES = ("misconduct", "risk")  # a misconduct that happened, or a concrete risk of one
COMPLAINT_CHANNELS = ("web", "email", "letter", "phone", "visit", "ivo")
# A klagomål (something went wrong) or a synpunkt (a suggestion); the statistics count them apart.
# COMPLAINT_TYPE is spelt like the kind (the contract's key), but it is the type of a complaint case.
COMPLAINT_TYPE, SUGGESTION_TYPE = "complaint", "suggestion"
COMPLAINT_TYPES = (COMPLAINT_TYPE, SUGGESTION_TYPE)
COMPLAINANT_RELATIONS = ("client", "relative", "guardian", "other", "anonymous")
# "to_deviation": a lex Sarah report judged not a misconduct, handled as a deviation;
# "to_lex_sarah": a deviation or complaint that revealed a misconduct, escalated.
HANDOVERS = ("to_deviation", "to_lex_sarah")
REFERENCE_PREFIXES = {Kind.DEVIATION: "AV", Kind.LEX_SARAH: "LS", Kind.COMPLAINT: "KL", Kind.SUPERVISION: "TS"}
# Case.next_deadline_at when no deadline is running: later than every real one, never NULL,
# so that sorting by deadline is a plain index walk on both databases.
NO_DEADLINE = datetime(9999, 12, 31)


class Case(db.Model):
    """One report of any kind. Kind-specific data lives in one-to-one tables
    (the complaint's complainant and answer here; judgment and IVO notification later).

    `version` is SQLAlchemy's version counter: a save based on an older version
    fails instead of silently overwriting a colleague's edit.
    """

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint("kind IN ('deviation', 'lex_sarah', 'complaint', 'supervision')", name="kind"),
        # The queue walks one range per status in received or deadline order (app.cases.queue.services.
        # _branches) and counts the open statuses; the trailing columns let it check the scope
        # and the filters in the index alone, without reading the rows.
        Index("ix_cases_status_received_cover", "status", "received_at", "id", "unit_id", "kind",
              "bypass_manager", "assigned_to_id", "next_deadline_at"),
        Index("ix_cases_status_deadline_cover", "status", "next_deadline_at", "id", "unit_id", "kind",
              "bypass_manager", "assigned_to_id", "received_at"),
        # The counts per open status, within the person's units (queue.status_counts).
        Index("ix_cases_unit_status_cover", "unit_id", "status", "bypass_manager", "kind", "assigned_to_id",
              "next_deadline_at"),
        # The queue pages by (received_at, id) within a unit or a kind; with id in the
        # index a page is one range scan, as cheap on page 10,000 as on page 1.
        Index("ix_cases_kind_received_id", "kind", "received_at", "id"),
        Index("ix_cases_unit_received_id", "unit_id", "received_at", "id"),
        # The queue's counts look at open cases only; with status first, closed cases (nearly
        # all of them, after some years) are never read, whatever else is filtered on. The scope's
        # columns after the handler let the start page count the open cases without a handler in
        # the person's queue from the index alone (queue.start_counts).
        Index("ix_cases_status_assigned_cover", "status", "assigned_to_id", "bypass_manager", "unit_id", "kind"),
        Index("ix_cases_kind_status", "kind", "status"),
        # The yearly statistics (app.stats.queries): every column they filter and group the
        # cases by, so a year of each kind is one range of this index and the table is never read.
        # triage_reason since statistics v2 (not_investigated_by_reason).
        Index("ix_cases_statistics", "kind", "received_at", "origin_case_id", "unit_id", "client_gender",
              "triage_decision", "triage_reason", "handover", "imported", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30), default=Status.RECEIVED)  # indexed with assigned_to_id
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Who filed it in Värna: the reporter themselves, or a registrar writing down a report made to
    # them (an oral lex Sarah report, a complaint by phone). The registrar is not the reporter: jäv
    # (app.auth.permissions) excludes the reporter, not the registrar. NULL: filed before 0024 or
    # from the public form (a citizen, no account).
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The actual reporter's name when they are not a person in Värna (then reporter_id is NULL);
    # NULL when no name was typed.
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    # what happened
    summary: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date | None]
    occurred_time: Mapped[time | None]
    noticed_on: Mapped[date | None]
    noticed_how: Mapped[str] = mapped_column(Text, default="")
    consequences: Mapped[str] = mapped_column(Text, default="")
    immediate_measures: Mapped[str] = mapped_column(Text, default="")

    # the client concerned: optional and minimal
    client_name: Mapped[str] = mapped_column(String(200), default="")
    client_pin: Mapped[str] = mapped_column(String(12), default="")  # personnummer, 12 digits, validated
    client_gender: Mapped[str | None] = mapped_column(String(10))
    client_is_child: Mapped[bool | None]

    # lex Sarah
    lex_sarah_type: Mapped[str | None] = mapped_column(String(20))
    bypass_manager: Mapped[bool] = mapped_column(default=False)
    # The reporter of a deviation ticked "this may be a missförhållande (lex Sarah)" and still
    # sent it as a deviation: the triage proposes the escalation first (facts.possible_misconduct).
    # A default in the database only: older migrations' tests insert the model's columns.
    possible_misconduct: Mapped[bool] = mapped_column(server_default=false())

    # triage: investigate, or a documented decision not to (statistics count "not_investigate")
    triage_decision: Mapped[str | None] = mapped_column(String(20))  # TRIAGE_DECISIONS
    triage_reason: Mapped[str | None] = mapped_column(String(30))  # NOT_INVESTIGATE_REASONS
    triage_text: Mapped[str] = mapped_column(Text, default="")
    triage_linked_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))  # "already investigated"
    triaged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    triaged_at: Mapped[datetime | None]
    # Lex Sarah ställningstagande: to whom a matter outside the nämnd's own activity was passed
    # (not_own_service), and when a health-care matter was passed to the MAS (health_care).
    position_passed_to: Mapped[str | None] = mapped_column(String(300))
    position_passed_on: Mapped[date | None]

    # Hand-overs between kinds. The original keeps its kind and records where it went
    # (`handover`); the new case points back (`origin_case_id`). Statistics count the
    # original under the kind it was filed as and count the hand-over, never the new
    # case as a new report.
    handover: Mapped[str | None] = mapped_column(String(20))  # HANDOVERS
    origin_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)

    # When the nearest running deadline falls (the last second of its day, Swedish time, in
    # UTC), or NO_DEADLINE when none is running. Derived: app.cases.deadlines.services recomputes it
    # whenever a case is flushed, so the overdue filter and the deadline sort are index ranges.
    next_deadline_at: Mapped[datetime] = mapped_column(default=lambda: NO_DEADLINE)

    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closing_summary: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None]  # set by every change, so that every change bumps `version`
    imported: Mapped[bool] = mapped_column(default=False)  # history brought from earlier years; read-only
    version: Mapped[int] = mapped_column(default=1)

    unit: Mapped[Unit] = relationship()
    reporter: Mapped["User | None"] = relationship(foreign_keys=[reporter_id])
    registered_by: Mapped["User | None"] = relationship(foreign_keys=[registered_by_id])
    assigned_to: Mapped["User | None"] = relationship(foreign_keys=[assigned_to_id])
    categories: Mapped[list[Category]] = relationship(secondary=case_categories, order_by=Category.position)
    complaint: Mapped["ComplaintDetails | None"] = relationship(back_populates="case", uselist=False)
    journal: Mapped[list["JournalEvent"]] = relationship(back_populates="case", order_by="JournalEvent.id")
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="case", order_by="Attachment.id")
    triaged_by: Mapped["User | None"] = relationship(foreign_keys=[triaged_by_id])
    triage_linked_case: Mapped["Case | None"] = relationship(foreign_keys=[triage_linked_case_id],
                                                             remote_side=[id])
    closed_by: Mapped["User | None"] = relationship(foreign_keys=[closed_by_id])
    origin_case: Mapped["Case | None"] = relationship(foreign_keys=[origin_case_id], remote_side=[id])
    disqualifications: Mapped[list["Disqualification"]] = relationship(back_populates="case",
                                                                       order_by="Disqualification.id")
    feedback: Mapped[list["Feedback"]] = relationship(back_populates="case", order_by="Feedback.id")
    concerned: Mapped[list["ConcernedStaff"]] = relationship(back_populates="case", order_by="ConcernedStaff.id",
                                                             cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def unit_path(self) -> tuple[int, ...]:
        """What the permission function needs: the ids from the root down to the case's unit."""
        return self.unit.ancestor_ids

    @property
    def client_pin_masked(self) -> str:
        return mask_pin(self.client_pin)

    @property
    def disqualified_user_ids(self) -> frozenset[int]:
        """What the permission function needs for jäv (the reporter is excluded there too)."""
        return frozenset(d.user_id for d in self.disqualifications)

    @property
    def concerned_user_ids(self) -> frozenset[int]:
        """What the permission function needs: the staff the report concerns never see or handle it."""
        return frozenset(c.user_id for c in self.concerned)

    @property
    def registered_for_someone(self) -> bool:
        """Filed by a registrar on someone else's behalf (the case page says "Registrerad av X för Y")."""
        return self.registered_by_id is not None and (self.registered_by_id != self.reporter_id
                                                      or bool(self.reporter_name))

    @property
    def reporter_name_shown(self) -> str:
        """The actual reporter as a person reads it: the Värna user's name, or the name typed."""
        return self.reporter.full_name if self.reporter is not None else (self.reporter_name or "")

    @property
    def reporter_feedback(self) -> str:
        """The newest feedback to the reporter, for "Mina rapporter" (the journal keeps all of it)."""
        return self.feedback[-1].text if self.feedback else ""

    def __repr__(self) -> str:
        return f"<Case {self.reference} {self.status}>"


def mask_pin(pin: str) -> str:
    """19850312-****: enough to tell two clients apart on a list, not enough to identify."""
    return f"{pin[:8]}-****" if pin else ""


class ComplaintDetails(db.Model):
    """The complainant, how the complaint came in, and the answer. One per complaint case."""

    __tablename__ = "complaint_details"
    __table_args__ = (
        CheckConstraint("channel IN ('web', 'email', 'letter', 'phone', 'visit', 'ivo')", name="channel"),
        CheckConstraint("complaint_type IN ('complaint', 'suggestion')", name="complaint_type"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    complaint_type: Mapped[str] = mapped_column(String(12), default=COMPLAINT_TYPE, server_default=COMPLAINT_TYPE)
    ivo_reference: Mapped[str] = mapped_column(String(60), default="")
    anonymous: Mapped[bool] = mapped_column(default=False)
    complainant_name: Mapped[str] = mapped_column(String(200), default="")
    complainant_email: Mapped[str] = mapped_column(String(254), default="")
    complainant_phone: Mapped[str] = mapped_column(String(40), default="")
    complainant_address: Mapped[str] = mapped_column(String(300), default="")
    relation: Mapped[str] = mapped_column(String(20), default="other")
    answer_wanted: Mapped[bool] = mapped_column(default=True)
    wishes: Mapped[str] = mapped_column(Text, default="")  # what the complainant wants to happen
    # Only a hash of the personal follow-up code is kept; the complainant holds the code.
    followup_code_hash: Mapped[str] = mapped_column(String(64), default="")
    answer_text: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answer_channel: Mapped[str] = mapped_column(String(10), default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(back_populates="complaint")
    answered_by: Mapped["User | None"] = relationship()


class JournalEvent(db.Model):
    """The case's timeline: every event from filing to closing. Never edited, only added to."""

    __tablename__ = "journal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    event: Mapped[str] = mapped_column(String(40))  # filed, assigned, triaged, entry_added, closed, ...
    text: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="journal")


TRIAGE_DECISIONS = ("investigate", "not_investigate")
# The reasons a case is closed without a (full) investigation. A deviation or complaint: a
# decision not to investigate (the first three). A lex Sarah report is always investigated, but
# the officer may close the short investigation with a ställningstagande (POSITION_REASONS);
# it is stored as triage_decision 'not_investigate' so that the statistics count it under
# "beslutades att inte inleda utredning" (docs/statistics.md).
NOT_INVESTIGATE_REASONS = ("not_caused_by_service", "not_own_service", "already_investigated",
                           "no_misconduct", "health_care")
DECISION_REASONS = ("not_caused_by_service", "not_own_service", "already_investigated")
POSITION_REASONS = ("no_misconduct", "already_investigated", "not_own_service", "health_care")


class Disqualification(db.Model):
    """Jäv: a person who declared they must not handle a case, and why. Never assigned to it again."""

    __tablename__ = "case_disqualifications"
    __table_args__ = (UniqueConstraint("case_id", "user_id", name="uq_case_disqualifications_case_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="disqualifications")
    user: Mapped["User"] = relationship()


class ConcernedStaff(db.Model):
    """A member of staff the report concerns ("Berörd personal"): they never see or handle the case
    (app.auth.permissions; the queue's and the desk's SQL mirror it with `not_concerned`)."""

    __tablename__ = "case_concerned_staff"
    __table_args__ = (UniqueConstraint("case_id", "user_id", name="uq_case_concerned_staff_case_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="concerned")
    user: Mapped["User"] = relationship(foreign_keys=[user_id])


def not_concerned(user_id: int, case_id=None):
    """SQL: the case does not concern this person (the permission function's rule, for lists).
    `case_id`: the column holding the case's id when the statement does not select from cases."""
    return ~select(ConcernedStaff.id).where(ConcernedStaff.case_id == (Case.id if case_id is None else case_id),
                                            ConcernedStaff.user_id == user_id).exists()


# Whether any case concerns the person, as a column of the person's own row: the request's
# loader (app/__init__.py: load_user) reads it in the same statement as the person, so the
# lists that leave out such cases cost no extra statement. Deferred: other reads of users skip it.
User.concerned_in_any_case = column_property(
    exists().where(ConcernedStaff.user_id == User.id).correlate_except(ConcernedStaff), deferred=True)


def concerned_anywhere(user) -> bool:
    """Whether any case concerns this person: lists add `not_concerned` only then, so that the
    statements of everyone else stay shared (app.cases.queue.services caches them)."""
    return bool(user.concerned_in_any_case)


class Feedback(db.Model):
    """A short message from the handler to the reporter, shown under the reporter's "Mina rapporter"."""

    __tablename__ = "case_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="feedback")


class Attachment(db.Model):
    """A file filed with a case, stored outside static/ under a server-generated name."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="attachments")


class ReferenceCounter(db.Model):
    """The last number used per kind and year, for references like LS-2026-0007.

    Taking a number is an UPDATE of this row inside the filing transaction, so
    concurrent filings queue on the row lock and never share a number.
    """

    __tablename__ = "reference_counters"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


# --- the investigation record (app.cases.investigation.services) ----------------------------------------

# SOSFS 2011:5, 5 kap.: what a lex Sarah investigation documents, in this order. Entries
# of other kinds have no section.
RECORD_SECTIONS = ("what_happened", "came_to_attention", "when_happened", "causes", "happened_before",
                   "could_recur", "measures", "other", "decision")
ENTRY_NATURES = ("fact", "assessment")
CAUSE_AREAS = ("communication", "environment", "processes", "technology", "people")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class InvestigationEntry(db.Model):
    """One entry of a case's investigation record. Never edited after saving: a mistake is
    corrected by a later entry that points at it (`corrects_id`)."""

    __tablename__ = "investigation_entries"
    __table_args__ = (
        CheckConstraint(_in("nature", ENTRY_NATURES), name="nature"),
        CheckConstraint(f"section IS NULL OR {_in('section', RECORD_SECTIONS)}", name="section"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    section: Mapped[str | None] = mapped_column(String(30))  # RECORD_SECTIONS; lex Sarah only
    entry_date: Mapped[date]            # the date the information concerns or was given
    source: Mapped[str] = mapped_column(String(300))  # who or what the information came from
    nature: Mapped[str] = mapped_column(String(20))   # ENTRY_NATURES: a fact or an assessment
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    author_title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("investigation_entries.id"), index=True)

    case: Mapped[Case] = relationship()
    corrects: Mapped["InvestigationEntry | None"] = relationship(remote_side=[id])


case_cause_areas = Table(
    "case_cause_areas",
    db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("area", String(30), primary_key=True),
    CheckConstraint(_in("area", CAUSE_AREAS), name="area"),
)


class CaseCauses(db.Model):
    """The causes found: areas (case_cause_areas, for the statistics) and a text. One per case;
    recording them again replaces them and the journal keeps what they were."""

    __tablename__ = "case_causes"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="")


class CaseRisk(db.Model):
    """The risk that it happens again: probability 1–4 × consequence 1–4. One per case."""

    __tablename__ = "case_risks"
    __table_args__ = (
        CheckConstraint("probability BETWEEN 1 AND 4", name="probability"),
        CheckConstraint("consequence BETWEEN 1 AND 4", name="consequence"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    probability: Mapped[int]
    consequence: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="")

    @property
    def score(self) -> int:
        return self.probability * self.consequence


class CaseLink(db.Model):
    """"Has something similar happened before?": a case the investigator linked as similar.
    Stored once, shown on both cases."""

    __tablename__ = "case_links"
    __table_args__ = (
        UniqueConstraint("case_id", "linked_case_id", name="uq_case_links_pair"),
        CheckConstraint("case_id <> linked_case_id", name="not_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    linked_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(foreign_keys=[case_id])
    linked_case: Mapped[Case] = relationship(foreign_keys=[linked_case_id])


# --- deadlines (app.cases.deadlines.services) ------------------------------------------------------------

DEADLINE_UNITS = ("days", "working_days")


class DeadlineSetting(db.Model):
    """How long a step of a kind may take, as the admin set it. A missing row means the default
    in app.cases.deadlines.services.DEFAULTS."""

    __tablename__ = "deadline_settings"
    __table_args__ = (
        CheckConstraint(_in("unit", DEADLINE_UNITS), name="unit"),
        CheckConstraint("amount BETWEEN 1 AND 365", name="amount"),
    )

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    step: Mapped[str] = mapped_column(String(30), primary_key=True)
    amount: Mapped[int]
    unit: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
