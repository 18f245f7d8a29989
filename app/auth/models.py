import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db
from app.org.models import Unit

ROLES = ("staff", "investigator", "officer", "admin", "board")  # board: the nämnd's secretary, statistics only

user_units = Table(
    "user_units",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True),
)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    """A person with their own account (shared logins are not allowed for this data).

    `session_token` is part of every session cookie; changing it (logout, new
    password, deactivation) ends all of the person's sessions at once.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]

    units: Mapped[list[Unit]] = relationship(secondary=user_units, order_by=Unit.name)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def unit_ids(self) -> frozenset[int]:
        return frozenset(unit.id for unit in self.units)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginFailure(db.Model):
    """A failed login, kept per username typed (existing or not), for throttling.

    Keyed by the typed name rather than the user id so that an unknown name is
    throttled exactly like a known one and the lock-out reveals nothing.
    """

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(128), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LoginThrottle(db.Model):
    """Counters of failed logins per client address ("address:<ip>") and across every
    address ("global"), for throttling (app/auth/throttle.py).

    In the database rather than in process memory, so that the limits hold across
    gunicorn workers and several application servers. One row per key: a failed login
    increments it atomically (INSERT ... ON CONFLICT DO UPDATE).
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)  # within the window that began at window_start
    window_start: Mapped[datetime]
    blocked_until: Mapped[datetime | None]
    blocks: Mapped[int] = mapped_column(default=0)  # blocks in a row; each one doubles the next
    updated_at: Mapped[datetime] = mapped_column(index=True)
