"""What the statistics need besides the cases: when each kind's data begins, and the chapter's
adoption details and texts per year. Written by an officer or an admin, audited."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.workflow import Kind

# The sections of the chapter that take an analysis and an improvement-work text. "supervision"
# is here so that its texts can be written as soon as the supervision block is counted.
TEXT_SECTIONS = (Kind.LEX_SARAH.value, "deviations", "complaints", "supervision", "actions")


class DataFromYear(db.Model):
    """"Uppgifter finns från och med": a year, earlier than the earliest case of a kind, from
    which the register of that kind is known to be complete (years with no case were zero)."""

    __tablename__ = "statistics_data_from"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None]


class ChapterAdoption(db.Model):
    """How the nämnd adopted the chapter of one year: by whom, when, and under which diary number."""

    __tablename__ = "statistics_adoptions"

    year: Mapped[int] = mapped_column(primary_key=True)
    adopted_by: Mapped[str] = mapped_column(String(200), default="")  # "Socialnämnden"
    decided_on: Mapped[date | None]
    diary_number: Mapped[str] = mapped_column(String(60), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None]


class ChapterText(db.Model):
    """The analysis and the improvement work of one section for one year, printed under its figures."""

    __tablename__ = "statistics_texts"
    __table_args__ = (
        CheckConstraint("section IN ('lex_sarah', 'deviations', 'complaints', 'supervision', 'actions')",
                        name="section"),
    )

    year: Mapped[int] = mapped_column(primary_key=True)
    section: Mapped[str] = mapped_column(String(20), primary_key=True)
    analysis: Mapped[str] = mapped_column(Text, default="")
    improvement: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None]
