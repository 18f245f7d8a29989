from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db


class PublicRateHit(db.Model):
    """One submission or status lookup from the public pages, for the per-IP limits.

    Kept in the database rather than in memory so that the limit holds across
    server processes. The address is stored only as a keyed hash (it cannot be
    read back without the secret key), and rows older than the window are
    deleted as new ones arrive.
    """

    __tablename__ = "public_rate_hits"
    __table_args__ = (Index("ix_public_rate_hits_key", "ip_hash", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ip_hash: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))  # "submit" or "lookup"
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class PublicText(db.Model):
    """A text of a public page that an admin edits (today the personal-data page, key
    "personal_data"). Plain text: paragraphs separated by a blank line, shown escaped, never
    as HTML. No row: the page shows its built-in default."""

    __tablename__ = "public_texts"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
