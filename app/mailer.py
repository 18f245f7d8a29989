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

from flask import current_app
from flask_mail import Message
from sqlalchemy import String, Text, and_, func, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

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


def queue_email(recipients: list[str], subject: str, body: str) -> OutgoingMail | None:
    """Queue a message in the current transaction (the caller commits, then calls deliver_queued)."""
    addresses = sorted({r.strip() for r in recipients if r and r.strip()})
    if not addresses:
        return None
    message = OutgoingMail(recipients=", ".join(addresses), subject=subject, body=body)
    db.session.add(message)
    return message


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
          wait_for_backoff: bool = True) -> list[int]:
    """Claim up to `limit` deliverable messages (of `ids`, if given) with an id above `after_id`
    for this process, and commit the claim. Returns the claimed ids in order."""
    now = utcnow()
    claimed: list[int] = []
    while not claimed:
        candidates = (select(OutgoingMail.id)
                      .where(_claimable(now, wait_for_backoff), OutgoingMail.id > after_id)
                      .order_by(OutgoingMail.id).limit(limit)
                      .with_for_update(skip_locked=True))  # SQLite has no row locks and leaves this out
        if ids is not None:
            candidates = candidates.where(OutgoingMail.id.in_(ids))
        found = db.session.scalars(candidates).all()
        if not found:
            break
        for message_id in found:
            taken = db.session.execute(
                update(OutgoingMail).where(OutgoingMail.id == message_id, _claimable(now, wait_for_backoff))
                .values(claimed_until=now + LEASE), execution_options={"synchronize_session": False})
            if taken.rowcount == 1:
                claimed.append(message_id)
        # Every one found was taken by another worker between our read and our update (SQLite's
        # snapshot): look further on rather than report an empty queue.
        after_id = found[-1]
    db.session.commit()
    return claimed


def _send_claimed(message_id: int) -> bool:
    message = db.session.get(OutgoingMail, message_id, populate_existing=True)
    message.attempts += 1
    try:
        send_email(message.recipients.split(", "), message.subject, message.body)
    except Exception as error:  # noqa: BLE001 - any transport failure is retried later
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.next_attempt_at = utcnow() + backoff(message.attempts)
        ok = False
        # The id, not the addresses: logs are read more widely than the queue.
        log.warning("Mail %s failed: %s", message.id, message.last_error)
    else:
        message.sent_at = utcnow()
        message.last_error = ""
        ok = True
    message.claimed_until = None
    db.session.commit()
    return ok


def deliver_queued(ids: list[int] | None = None, *, wait_for_backoff: bool = True,
                   batch_size: int = BATCH_SIZE) -> tuple[int, int]:
    """Try to send queued messages (the given ones, or every deliverable one), claiming each
    first so that no other process sends it too. Returns (sent, failed).

    Never raises for a transport failure: the error is logged and kept on the row.
    """
    if ids is not None and not ids:
        return 0, 0
    sent = failed = 0
    after_id = 0  # each message at most once per call, even when it fails and wait_for_backoff is off
    while True:
        claimed = claim(ids, after_id=after_id, limit=batch_size, wait_for_backoff=wait_for_backoff)
        if not claimed:
            return sent, failed
        for message_id in claimed:
            if _send_claimed(message_id):
                sent += 1
            else:
                failed += 1
        after_id = claimed[-1]


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
