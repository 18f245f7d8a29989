from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.clock import today_local, utcnow
from app.extensions import db


class ApiToken(db.Model):
    """A person's token for the JSON API. Only its SHA-256 is kept; revoked, never deleted (the log refers to it)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # the token's first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None]  # written at most once a minute (app.api.tokens.LAST_USED_EVERY)
    revoked_at: Mapped[datetime | None]
    expires_on: Mapped[date | None]  # the last day (Stockholm) it works; none: until revoked

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and today_local() > self.expires_on
