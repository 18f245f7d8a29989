"""The supervision case's own data, next to its row in `cases` (kind supervision)."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.auth.models import User
from app.cases.models import Attachment, Case
from app.clock import utcnow
from app.extensions import db
from app.org.models import Unit
from app.workflow import Kind

AUTHORITIES = ("ivo", "socialstyrelsen", "jo", "other")
# What the supervision concerns: an activity or unit (an HVB inspection), the handling of one
# individual's case, or a theme across units.
SUBJECTS = ("activity", "individual_case", "theme")
# How it started: the authority's own initiative or inspection, a complaint made to it, or a
# lex Sarah notification (the last two may link to the cases in Värna).
ORIGINS = ("initiative", Kind.COMPLAINT.value, Kind.LEX_SARAH.value)
# What the authority asks for; "report_back" is the report of the measures its decision demands,
# recorded like a reply to a request.
REQUEST_PURPOSES = ("statement", "documents", "information", "report_back")
REPLY_CHANNELS = ("e_service", "email", "letter")
DECISIONS = ("no_criticism", "criticism", "demands", "injunction")  # an injunction with or without a fine
# Decisions that demand measures: actions are planned and reported back by a date.
DEMANDING = frozenset({"demands", "injunction"})

supervision_units = Table(
    "supervision_units", db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True, index=True),
)

supervision_links = Table(
    "supervision_links", db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("linked_case_id", ForeignKey("cases.id"), primary_key=True, index=True),
)


class SupervisionDetails(db.Model):
    """The authority's letter and the authority's decision. One per supervision case.

    The case's own unit (cases.unit_id) is the nearest unit above all the units concerned,
    so that the handlers of that unit see and work it (the permission function)."""

    __tablename__ = "supervision_details"
    __table_args__ = (
        CheckConstraint("authority IN ('ivo', 'socialstyrelsen', 'jo', 'other')", name="authority"),
        CheckConstraint("subject IN ('activity', 'individual_case', 'theme')", name="subject"),
        CheckConstraint("origin IN ('initiative', 'complaint', 'lex_sarah')", name="origin"),
        CheckConstraint("decision IS NULL OR decision IN "
                        "('no_criticism', 'criticism', 'demands', 'injunction')", name="decision_value"),
        # Whether an injunction carries a fine (vite): only for an injunction (NULL: not known, imported).
        CheckConstraint("with_fine IS NULL OR decision = 'injunction'", name="fine_with_injunction"),
        # A decision is complete (when and what) or absent.
        CheckConstraint("(decision IS NULL AND decided_on IS NULL) OR "
                        "(decision IS NOT NULL AND decided_on IS NOT NULL)", name="decision_complete"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    authority: Mapped[str] = mapped_column(String(20))
    authority_name: Mapped[str] = mapped_column(String(200), default="")  # for "other"
    authority_reference: Mapped[str] = mapped_column(String(60))  # the authority's diarienummer
    letter_on: Mapped[date]  # the day the letter was received
    subject: Mapped[str] = mapped_column(String(20))
    origin: Mapped[str] = mapped_column(String(20))
    board_reference: Mapped[str] = mapped_column(String(60), default="")  # the nämnd's diarienummer
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    decision: Mapped[str | None] = mapped_column(String(20))
    decided_on: Mapped[date | None]
    with_fine: Mapped[bool | None]
    decision_text: Mapped[str] = mapped_column(Text, default="")
    decision_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(backref=backref("supervision", uselist=False, passive_deletes=True))
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    units: Mapped[list[Unit]] = relationship(secondary=supervision_units, order_by=Unit.path,
                                             primaryjoin="SupervisionDetails.case_id == supervision_units.c.case_id",
                                             viewonly=True)
    links: Mapped[list[Case]] = relationship(
        secondary=supervision_links, viewonly=True, order_by=Case.id,
        primaryjoin="SupervisionDetails.case_id == supervision_links.c.case_id",
        secondaryjoin="Case.id == supervision_links.c.linked_case_id")
    requests: Mapped[list["SupervisionRequest"]] = relationship(
        primaryjoin="SupervisionDetails.case_id == foreign(SupervisionRequest.case_id)",
        order_by="SupervisionRequest.id", viewonly=True)

    @property
    def demands_measures(self) -> bool:
        return self.decision in DEMANDING


class SupervisionRequest(db.Model):
    """One request from the authority (a statement, documents, information) with its deadline,
    and the nämnd's reply; or the report-back of the measures a decision demands."""

    __tablename__ = "supervision_requests"
    __table_args__ = (
        CheckConstraint("purpose IN ('statement', 'documents', 'information', 'report_back')", name="purpose"),
        CheckConstraint("due_on >= requested_on", name="due_after_request"),
        CheckConstraint("replied_on IS NULL OR replied_on >= requested_on", name="reply_after_request"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    requested_on: Mapped[date]  # the date of the authority's letter (the decision's, for a report-back)
    due_on: Mapped[date]        # the deadline the authority set
    text: Mapped[str] = mapped_column(Text, default="")  # what it asks, in the handler's words
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    # An extension the authority granted (the last one counts; the journal keeps each).
    extended_due_on: Mapped[date | None]
    extension_note: Mapped[str] = mapped_column(Text, default="")

    replied_on: Mapped[date | None]
    reply_channel: Mapped[str] = mapped_column(String(20), default="")
    signed_by: Mapped[str] = mapped_column(String(200), default="")
    reply_note: Mapped[str] = mapped_column(Text, default="")
    reply_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
    reply_attachment: Mapped[Attachment | None] = relationship()

    @property
    def deadline(self) -> date:
        """The deadline in force: the extended one when the authority granted one."""
        return self.extended_due_on or self.due_on

    @property
    def is_open(self) -> bool:
        return self.replied_on is None
