"""Sending e-mail. In development nothing leaves the machine: messages are written to
instance/outbox/ as .eml files and listed on an admin page; in production Flask-Mail
sends them through the configured SMTP server (MAIL_TRANSPORT=smtp).

E-mails from Värna carry references and links, never descriptions or personal data.

Several processes may deliver at once (the request that queued a message, `flask mail worker`
on each application server, `flask mail retry` from cron). Each message is first *claimed*: a
lease (claimed_until) set in a short transaction of its own, by a compare-and-set UPDATE that
only succeeds while the message is unsent and unclaimed. On PostgreSQL the candidates are read
with SELECT ... FOR UPDATE SKIP LOCKED, so two workers take different rows instead of waiting
for each other; on SQLite the first UPDATE takes the database's one write lock, so claimers
queue there and the later one finds the row already taken. The lease outlives a crashed
worker by at most LEASE, after which another process retries the message.

When: a service queues a message in its transaction (`queue_email`) and commits; the
session's after-commit hook (registered by `init_app` in create_app) delivers it then, in
a session of its own. No service delivers by hand. A rolled-back transaction sends
nothing. `deliver="after_response"` defers it until the response has gone out (the
unlock mail: answering must not be slower for a name that is an account);
`deliver="by_worker"` leaves it to `flask mail worker` / `flask mail retry`. With
MAIL_DELIVERY = "worker" (a `flask mail worker` runs) every message is left to the worker:
the request only queues it, and the commits of claiming, sending and recording the result
are not part of the request (a filing's two notices were two commits more than the filing's).
"""

import logging
import os
import secrets
import signal
import time
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from flask import current_app, g, has_request_context
from flask_mail import Message
from sqlalchemy import String, Text, and_, bindparam, event, func, insert, inspect, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.clock import utcnow
from app.extensions import db, mail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
# Longer than sending one batch can take; a message claimed by a worker that died is retried after it.
LEASE = timedelta(minutes=10)
BATCH_SIZE = 20


class OutgoingMail(db.Model):
    """A message queued in the same transaction as the change it reports.

    A rolled-back change therefore sends nothing, and a message that could not
    be delivered stays here for `flask mail retry` instead of being lost.
    """

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    recipients: Mapped[str] = mapped_column(Text)  # comma-separated addresses
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Being sent by one process until then (see the module's docstring).
    claimed_until: Mapped[datetime | None]
    # After a failure: not retried automatically before then (backoff); `mail retry` does not wait.
    next_attempt_at: Mapped[datetime | None]


DELIVERY = ("after_commit", "after_response", "by_worker")
_QUEUED = "mailer_queued"  # session.info: (message or its id, when) queued in the open transaction
_COMMITTED = "mailer_committed"  # session.info: ids committed, to be delivered when the transaction ends


def queue_email(recipients: list[str], subject: str, body: str, *,
                deliver: str = "after_commit") -> OutgoingMail | None:
    """Queue a message in the current transaction; it goes out once that commits (see the
    module's docstring for `deliver`). Nothing is sent if the transaction rolls back."""
    assert deliver in DELIVERY, deliver
    addresses = sorted({r.strip() for r in recipients if r and r.strip()})
    if not addresses:
        return None
    message = OutgoingMail(recipients=", ".join(addresses), subject=subject, body=body)
    db.session.add(message)
    if deliver != "by_worker" and current_app.config.get("MAIL_DELIVERY", "request") != "worker":
        db.session.info.setdefault(_QUEUED, []).append((message, deliver))
    return message


def queue_emails(messages: list[tuple[list[str], str, str]]) -> int:
    """`queue_email` for several messages (recipients, subject, body) at once: one INSERT,
    without an ORM object each (a filing queues two). Returns how many were queued."""
    now = utcnow()
    rows = [{"created_at": now, "recipients": ", ".join(addresses), "subject": subject, "body": body,
             "sent_at": None, "attempts": 0, "last_error": "", "claimed_until": None, "next_attempt_at": None}
            for addresses, subject, body in ((sorted({r.strip() for r in recipients if r and r.strip()}), subject,
                                              body) for recipients, subject, body in messages) if addresses]
    if not rows:
        return 0
    # Many parameter sets to one statement, which SQLAlchemy sends as one multi-row INSERT
    # because of the RETURNING (without it psycopg's executemany is a round trip per row);
    # not a multi-row VALUES of our own, whose statement differs with the number of rows
    # and is compiled anew each time.
    ids = db.session.scalars(_INSERT_MAIL, rows).all()
    if current_app.config.get("MAIL_DELIVERY", "request") != "worker":
        db.session.info.setdefault(_QUEUED, []).extend((message_id, "after_commit") for message_id in ids)
    return len(rows)


_INSERT_MAIL = insert(OutgoingMail.__table__).returning(OutgoingMail.__table__.c.id)


def _after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint was released; the transaction that holds the mail is still open
    queued = session.info.pop(_QUEUED, None)
    if not queued:
        return
    now, later = [], []
    for message, deliver in queued:
        if isinstance(message, int):  # queued by queue_emails: the id itself
            message_id = message
        else:
            identity = inspect(message).identity  # the id without loading the expired row
            if identity is None:
                continue
            message_id = identity[0]
        (later if deliver == "after_response" and has_request_context() else now).append(message_id)
    if later:
        g.setdefault("mail_after_response", []).extend(later)
    if now:
        # Sent once the transaction has ended and given its connection back (below): holding
        # it while the delivery takes another would need two connections per request.
        session.info.setdefault(_COMMITTED, []).extend(now)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None and session.info.get(_COMMITTED):
        _deliver_in_own_session(session.info.pop(_COMMITTED))


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(_QUEUED, None)


def _deliver_in_own_session(ids: list[int]) -> None:
    """The delivery (its claims and results, each committed) runs in a session of its own, so
    that it never mixes with what the caller's session does next."""
    session = Session(bind=db.engine)
    try:
        deliver_queued(ids, session=session)
    except Exception:  # the change is committed; the message stays queued for retry
        session.rollback()
        log.exception("Delivering mail %s after commit failed; it stays queued", ids)
    finally:
        session.close()


def deliver_after_response(response):
    """Hand the mail queued with deliver="after_response" to the response, to be sent once it is closed."""
    ids = g.pop("mail_after_response", None)
    if ids:
        app = current_app._get_current_object()

        def send():
            with app.app_context():
                _deliver_in_own_session(ids)

        response.call_on_close(send)
    return response


def init_app(app) -> None:
    """Deliver queued mail after every commit (create_app)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
        event.listen(Session, "after_transaction_end", _after_transaction_end)
    app.after_request(deliver_after_response)


def outcome(ids: list[int]) -> tuple[int, int]:
    """(sent, failed) of these messages now: for a command that reports what its mail did."""
    if not ids:
        return 0, 0
    rows = db.session.execute(select(OutgoingMail.sent_at, OutgoingMail.attempts)
                              .where(OutgoingMail.id.in_(ids))).all()
    return (sum(1 for sent_at, _n in rows if sent_at is not None),
            sum(1 for sent_at, attempts in rows if sent_at is None and attempts > 0))


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4 ... minutes, at most an hour,
    so ten attempts span a few hours of a mail server being down."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _claimable(now: datetime, wait_for_backoff: bool):
    condition = and_(OutgoingMail.sent_at.is_(None), OutgoingMail.attempts < MAX_ATTEMPTS,
                     or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until <= now))
    if wait_for_backoff:
        condition = and_(condition, or_(OutgoingMail.next_attempt_at.is_(None), OutgoingMail.next_attempt_at <= now))
    return condition


def claim(ids: list[int] | None = None, *, after_id: int = 0, limit: int = BATCH_SIZE,
          wait_for_backoff: bool = True, session: Session | None = None) -> list[int]:
    """Claim up to `limit` deliverable messages (of `ids`, if given) with an id above `after_id`
    for this process, and commit the claim. Returns the claimed ids in order."""
    session = session or db.session
    now = utcnow()
    claimed: list[int] = []
    while not claimed:
        candidates = (select(OutgoingMail.id)
                      .where(_claimable(now, wait_for_backoff), OutgoingMail.id > after_id)
                      .order_by(OutgoingMail.id).limit(limit)
                      .with_for_update(skip_locked=True))  # SQLite has no row locks and leaves this out
        if ids is not None:
            candidates = candidates.where(OutgoingMail.id.in_(ids))
        found = session.scalars(candidates).all()
        if not found:
            break
        if session.get_bind().dialect.update_returning:
            # One compare-and-set UPDATE for all of them; RETURNING says which it took.
            claimed = sorted(session.scalars(
                update(OutgoingMail).where(OutgoingMail.id.in_(found), _claimable(now, wait_for_backoff))
                .values(claimed_until=now + LEASE).returning(OutgoingMail.id),
                execution_options={"synchronize_session": False}))
        else:
            for message_id in found:
                taken = session.execute(
                    update(OutgoingMail).where(OutgoingMail.id == message_id, _claimable(now, wait_for_backoff))
                    .values(claimed_until=now + LEASE), execution_options={"synchronize_session": False})
                if taken.rowcount == 1:
                    claimed.append(message_id)
        # Every one found was taken by another worker between our read and our update (SQLite's
        # snapshot): look further on rather than report an empty queue.
        after_id = found[-1]
    session.commit()
    return claimed


def _send_claimed(message, session) -> bool:
    """Send one claimed message (a row of `_CLAIMED`) and record the result, committed at once
    (a message sent is recorded as sent before the next is tried). One UPDATE of the row, not
    the ORM's read and flush: the worker sends two of these per filing, and on PostgreSQL its
    CPU per message was half that of the filing itself."""
    attempts = message.attempts + 1
    try:
        send_email(message.recipients.split(", "), message.subject, message.body)
    except Exception as error:  # noqa: BLE001 - any transport failure is retried later
        result = {"last_error": f"{type(error).__name__}: {error}"[:2000],
                  "next_attempt_at": utcnow() + backoff(attempts), "sent_at": None}
        ok = False
        # The id, not the addresses: logs are read more widely than the queue.
        log.warning("Mail %s failed: %s", message.id, result["last_error"])
    else:
        result = {"sent_at": utcnow(), "last_error": "", "next_attempt_at": message.next_attempt_at}
        ok = True
    session.execute(_RECORD_RESULT, {"message_id": message.id, "attempts": attempts, **result})
    session.commit()
    return ok


_MAIL = OutgoingMail.__table__
# Built once (with their cache keys): the claimed messages of a batch in one statement, and the
# result of each.
_CLAIMED = (select(_MAIL.c.id, _MAIL.c.recipients, _MAIL.c.subject, _MAIL.c.body, _MAIL.c.attempts,
                   _MAIL.c.next_attempt_at)
            .where(_MAIL.c.id.in_(bindparam("ids", expanding=True))).order_by(_MAIL.c.id))
_RECORD_RESULT = (update(_MAIL).where(_MAIL.c.id == bindparam("message_id"))
                  .values(attempts=bindparam("attempts"), sent_at=bindparam("sent_at"),
                          last_error=bindparam("last_error"), next_attempt_at=bindparam("next_attempt_at"),
                          claimed_until=None))


def deliver_queued(ids: list[int] | None = None, *, wait_for_backoff: bool = True,
                   batch_size: int = BATCH_SIZE, session: Session | None = None) -> tuple[int, int]:
    """Try to send queued messages (the given ones, or every deliverable one), claiming each
    first so that no other process sends it too. Returns (sent, failed).

    Never raises for a transport failure: the error is logged and kept on the row.
    """
    if ids is not None and not ids:
        return 0, 0
    sent = failed = 0
    after_id = 0  # each message at most once per call, even when it fails and wait_for_backoff is off
    while True:
        claimed = claim(ids, after_id=after_id, limit=batch_size, wait_for_backoff=wait_for_backoff,
                        session=session)
        if not claimed:
            return sent, failed
        active = session or db.session
        for message in active.execute(_CLAIMED, {"ids": claimed}).all():
            if _send_claimed(message, active):
                sent += 1
            else:
                failed += 1
        after_id = claimed[-1]
        if ids is not None and after_id >= max(ids):
            return sent, failed  # none of the given ones is left to look for


def queue_depth() -> int:
    """Messages waiting to be sent (for /healthz): one count on the sent_at index."""
    return db.session.scalar(select(func.count()).select_from(OutgoingMail).where(
        OutgoingMail.sent_at.is_(None), OutgoingMail.attempts < MAX_ATTEMPTS))


def run_worker(*, once: bool = False, interval: float = 10.0, batch_size: int = BATCH_SIZE,
               echo=lambda line: None) -> tuple[int, int]:
    """`flask mail worker`: deliver what is due, then wait `interval` seconds, until SIGTERM or
    Ctrl-C (the message being sent is finished first). With `once`: one pass, for tests and cron."""
    stop = {"requested": False}

    def request_stop(_signum, _frame):
        stop["requested"] = True

    previous = signal.signal(signal.SIGTERM, request_stop) if not once and _main_thread() else None
    total_sent = total_failed = 0
    try:
        while True:
            try:
                sent, failed = deliver_queued(batch_size=batch_size)
            except Exception:
                if once:
                    raise
                # The database restarting must not end the worker; the next pass tries again.
                db.session.rollback()
                log.exception("Mail worker pass failed; trying again in %s s", interval)
                sent = failed = 0
            total_sent, total_failed = total_sent + sent, total_failed + failed
            if sent or failed:
                echo(f"Sent {sent}, failed {failed}.")
            if once:
                return total_sent, total_failed
            slept = 0.0
            while slept < interval and not stop["requested"]:
                time.sleep(min(0.5, interval - slept))
                slept += 0.5
            if stop["requested"]:
                return total_sent, total_failed
    except KeyboardInterrupt:
        return total_sent, total_failed
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading
    return threading.current_thread() is threading.main_thread()


def send_email(recipients: list[str], subject: str, body: str) -> None:
    """Send (or, in development, file) one message. Raises on transport failure."""
    recipients = [r for r in recipients if r]
    if not recipients:
        return
    if current_app.config["MAIL_TRANSPORT"] == "smtp":
        mail.send(Message(subject=subject, recipients=recipients, body=body,
                          sender=current_app.config["MAIL_DEFAULT_SENDER"]))
        return
    _write_to_outbox(recipients, subject, body)


def _write_to_outbox(recipients: list[str], subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Date"] = utcnow().strftime("%a, %d %b %Y %H:%M:%S +0000")
    message.set_content(body)
    folder = current_app.config["OUTBOX_DIR"]
    os.makedirs(folder, exist_ok=True)
    name = utcnow().strftime("%Y%m%dT%H%M%S%f") + "-" + secrets.token_hex(4) + ".eml"
    with open(os.path.join(folder, name), "wb") as handle:
        handle.write(message.as_bytes())


def outbox(limit: int = 200) -> list[dict]:
    """The newest messages in the development outbox, newest first."""
    folder = current_app.config["OUTBOX_DIR"]
    if not os.path.isdir(folder):
        return []
    names = sorted((n for n in os.listdir(folder) if n.endswith(".eml")), reverse=True)[:limit]
    messages = []
    for name in names:
        with open(os.path.join(folder, name), "rb") as handle:
            parsed = BytesParser(policy=policy.default).parse(handle)
        messages.append({"name": name, "to": parsed["To"], "subject": parsed["Subject"],
                         "date": parsed["Date"], "body": parsed.get_body(("plain",)).get_content()})
    return messages
