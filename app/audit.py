"""Who saw and changed what: an append-only log, written by one function, sealed by a chain.

No code path updates or deletes an AuditEvent; the admin page only reads it.

Tamper evidence: every row carries `mac` = HMAC-SHA256(AUDIT_KEY, previous row's mac ‖ the row's
canonical content). The key lives in the configuration, not in the database, so someone who can
write to the database but does not have the key cannot change, delete or insert a row without
`flask --app wsgi audit verify` (app/audit_chain.py) naming it.

The chain must not fork when several workers write at once. `record()` only queues the event
on the session; just before the transaction commits, `_seal()` takes the one-row
`audit_chain_head` under a lock (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
transaction's write lock), numbers the queued events after the head's last id, chains them and
moves the head, all in the same transaction. Taking the lock last, after every other change
of the transaction is flushed, keeps it short and means it can never be taken before a row
lock that another writer holding the head would wait for (no deadlock).
"""

import hashlib
import hmac
import json
import logging
import sqlite3
from datetime import datetime
from typing import Any

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import JSON, ForeignKey, Index, String, bindparam, event, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.clock import utcnow
from app.extensions import db

log = logging.getLogger(__name__)
_PENDING = "audit_pending"
HEAD_ID = 1
# Actions that already say "this person was refused": the app-wide 403 handler records
# nothing more for a request that recorded one of these.
DENIAL_ACTIONS = frozenset({"permission.denied", "case.view_denied"})


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    # Numbered by _seal() from the chain head, not by the sequence: a sequence leaves gaps
    # when a transaction rolls back, and a gap must mean a deleted row.
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    user_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    # Empty for rows written before the chain existed (id < AuditChainHead.start_id).
    mac: Mapped[str] = mapped_column(String(64), default="", server_default="")


class AuditChainHead(db.Model):
    """One row: where the chain ends now (the lock writers take), and where it began."""
    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(default=0)
    last_mac: Mapped[str] = mapped_column(String(64), default="")
    # The first row covered by the chain. Rows before it were written before the chain
    # was introduced (migration 0013) and are not protected by it.
    start_id: Mapped[int] = mapped_column(default=1)


def _check_named(action: str) -> None:
    """app/audit_labels.py is the registry of audit events: a name without a label there is a
    programming error, refused in development and tests (production writes it anyway, and
    the audit page shows it as stored, rather than lose the entry)."""
    from app.audit_labels import LABELS
    if action in LABELS or not has_app_context():
        return
    if current_app.config.get("VARNA_ENV") == "development" or current_app.testing:
        raise ValueError(f"audit action {action!r} has no label in app/audit_labels.py")


def record(action: str, *, actor=None, object_type: str = "", object_id: Any = "",
           detail: dict | None = None, keep_ip: bool = True) -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits.

    The event gets its id and its place in the chain when the transaction commits; a
    rollback drops it with everything else the transaction did.

    The IP address is read from the request when there is one: it is the one
    piece of request data every audit entry needs, and passing it through every
    service would add noise without adding safety.
    """
    _check_named(action)
    # keep_ip=False for what an anonymous citizen does: storing their address would undo the anonymity.
    ip = (request.remote_addr or "") if keep_ip and has_request_context() else ""
    event_row = AuditEvent(
        at=utcnow(),
        user_id=getattr(actor, "id", None),
        user_name=getattr(actor, "full_name", "") or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else "",
        ip=ip,
        # Stored exactly as the MAC sees it: JSON in, JSON out (tuples become lists, and a
        # caller changing its dict afterwards changes nothing here).
        detail=json.loads(json.dumps(detail or {})),
    )
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback (which ends a transaction) also drops the queue
    session.info.setdefault(_PENDING, []).append(event_row)
    if has_request_context() and action in DENIAL_ACTIONS:
        g.audit_denial_recorded = True
    return event_row


# --- the chain --------------------------------------------------------------------------------

def canonical(row) -> bytes:
    """Every column except the MAC, in one stable serialisation (works on ORM rows and Core rows)."""
    at = row.at
    content = {
        "id": row.id,
        "at": at.isoformat(timespec="microseconds") + "Z" if at is not None else None,  # naive UTC
        "user_id": row.user_id,
        "user_name": row.user_name or "",
        "action": row.action,
        "object_type": row.object_type or "",
        "object_id": row.object_id or "",
        "ip": row.ip or "",
        "detail": row.detail if row.detail is not None else {},
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_mac(key: bytes, previous_mac: str, row) -> str:
    return hmac.new(key, previous_mac.encode("ascii") + b"\n" + canonical(row), hashlib.sha256).hexdigest()


def audit_key() -> bytes:
    return current_app.config["AUDIT_KEY"].encode()


# The chain's statements, built once: SQLAlchemy then computes their cache keys once per
# process. Core, not the ORM: sealing is part of every page a person opens (each read is
# audited), and the unit of work's bookkeeping for one INSERT and one UPDATE cost more CPU
# than the statements themselves. The rows and the head are written exactly as before.
_EVENTS = AuditEvent.__table__
_HEAD = AuditChainHead.__table__
_COLUMNS = tuple(column.key for column in _EVENTS.columns)
_LOCK_AND_READ_HEAD = (update(_HEAD).where(_HEAD.c.id == HEAD_ID).values(last_id=_HEAD.c.last_id)
                       .returning(_HEAD.c.last_id, _HEAD.c.last_mac))
_TOUCH_HEAD = update(_HEAD).where(_HEAD.c.id == HEAD_ID).values(last_id=_HEAD.c.last_id)
_READ_HEAD_FOR_UPDATE = select(_HEAD.c.last_id, _HEAD.c.last_mac).where(_HEAD.c.id == HEAD_ID).with_for_update()
_INSERT_EVENTS = insert(_EVENTS)
_MOVE_HEAD = (update(_HEAD).where(_HEAD.c.id == HEAD_ID)
              .values(last_id=bindparam("new_last_id"), last_mac=bindparam("new_last_mac")))
# PostgreSQL runs a data-modifying WITH exactly once, whatever the main statement reads: the
# one entry of a page and the head's move in one statement (SQLite has no such WITH).
# The entry's values under names of their own: a parameter named like a column of the head
# ("id") would otherwise become part of the head's UPDATE.
_INSERT_EVENT_AND_MOVE_HEAD = (insert(_EVENTS).values({name: bindparam("event_" + name) for name in _COLUMNS})
                               .add_cte(_MOVE_HEAD.cte("moved_head")))


def _lock_head(session: Session) -> tuple[int, str]:
    """The head's (last_id, last_mac), locked until the transaction ends."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite and sqlite3.sqlite_version_info >= (3, 35):
        # SQLite ignores FOR UPDATE; a write takes the database's write lock (waiting for
        # another writer's commit), and its RETURNING reads the newest head in the same
        # statement (an UPDATE, then a SELECT, before: one statement per audited page).
        head = connection.execute(_LOCK_AND_READ_HEAD).first()
    else:
        if sqlite:
            connection.execute(_TOUCH_HEAD)
        head = connection.execute(_READ_HEAD_FOR_UPDATE).first()
    if head is not None:
        return head.last_id, head.last_mac
    # The first event ever (or a database built with create_all): the chain starts after
    # whatever rows exist. Two first writers may race; the loser reads the winner's row.
    last = session.scalar(select(func.max(AuditEvent.id))) or 0
    try:
        with session.begin_nested():
            session.add(AuditChainHead(id=HEAD_ID, last_id=last, last_mac="", start_id=last + 1))
    except IntegrityError:
        pass
    head = session.connection().execute(_READ_HEAD_FOR_UPDATE).first()
    return head.last_id, head.last_mac


def _seal(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the events go with the outer transaction
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.flush()  # the transaction's other row locks first, the head's last
    key = audit_key()
    last_id, last_mac = _lock_head(session)
    values = []
    for row in pending:
        row.id = last_id + 1
        row.mac = compute_mac(key, last_mac, row)
        last_id, last_mac = row.id, row.mac
        values.append({name: getattr(row, name) for name in _COLUMNS})
    connection = session.connection()
    head = {"new_last_id": last_id, "new_last_mac": last_mac}
    if len(values) == 1 and connection.dialect.name == "postgresql":
        connection.execute(_INSERT_EVENT_AND_MOVE_HEAD,
                           {**{"event_" + name: value for name, value in values[0].items()}, **head})
        return
    connection.execute(_INSERT_EVENTS, values[0] if len(values) == 1 else values)
    connection.execute(_MOVE_HEAD, head)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.info.get(_PENDING) and has_app_context():
        _seal(session)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


# --- refusals -------------------------------------------------------------------------------

def record_refusal(actor, asked=None) -> None:
    """A refused request (403): nothing it did is stored, and one audit entry says who was
    refused, at which endpoint, on which target; committed here.

    Called by the app-wide 403 handler; a request whose service already recorded its
    refusal (case.view_denied) is not recorded twice. `asked`: the permission a service asked for.
    """
    db.session.rollback()
    if g.get("audit_denial_recorded"):
        return
    try:
        _record_denial(actor, asked)
        db.session.commit()
    except SQLAlchemyError:
        # The person is refused either way; a broken database must not turn that into a 500.
        db.session.rollback()
        log.exception("The refusal of %s %s could not be written to the audit log", request.method, request.path)


def _record_denial(actor, asked=None) -> None:
    args = {k: str(v) for k, v in (request.view_args or {}).items()}
    object_type, object_id = "", ""
    if "reference" in args:
        object_type, object_id = "case", args["reference"]
    elif "attachment_id" in args:
        object_type, object_id = "attachment", args["attachment_id"]
    elif "action_id" in args:
        object_type, object_id = "action", args["action_id"]
    elif "user_id" in args:
        object_type, object_id = "user", args["user_id"]
    elif args:
        name, value = next(iter(args.items()))
        object_type, object_id = name.removesuffix("_id")[:32], value
    actor = actor if getattr(actor, "is_authenticated", False) else None
    record("permission.denied", actor=actor, object_type=object_type, object_id=object_id[:64],
           detail={"endpoint": request.endpoint or "", "method": request.method, "path": request.path[:300],
                   "view_args": args, **({"action": str(asked)} if asked is not None else {})})
