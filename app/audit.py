"""Who saw and changed what: an append-only log, written by one function.

No code path updates or deletes an AuditEvent; the admin page only reads it.
"""

from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    user_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


def record(action: str, *, actor=None, object_type: str = "", object_id: Any = "",
           detail: dict | None = None, keep_ip: bool = True) -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits.

    The IP address is read from the request when there is one: it is the one
    piece of request data every audit entry needs, and passing it through every
    service would add noise without adding safety.
    """
    # keep_ip=False for what an anonymous citizen does: storing their address would undo the anonymity.
    ip = (request.remote_addr or "") if keep_ip and has_request_context() else ""
    event = AuditEvent(
        at=utcnow(),
        user_id=getattr(actor, "id", None),
        user_name=getattr(actor, "full_name", "") or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else "",
        ip=ip,
        detail=detail or {},
    )
    db.session.add(event)
    return event
