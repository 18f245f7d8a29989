"""Sending e-mail. In development nothing leaves the machine: messages are written to
instance/outbox/ as .eml files and listed on an admin page; in production Flask-Mail
sends them through the configured SMTP server (MAIL_TRANSPORT=smtp).

E-mails from Värna carry references and links, never descriptions or personal data.
"""

import logging
import os
import secrets
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from flask import current_app
from flask_mail import Message
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db, mail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


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


def queue_email(recipients: list[str], subject: str, body: str) -> OutgoingMail | None:
    """Queue a message in the current transaction (the caller commits, then calls deliver_queued)."""
    addresses = sorted({r.strip() for r in recipients if r and r.strip()})
    if not addresses:
        return None
    message = OutgoingMail(recipients=", ".join(addresses), subject=subject, body=body)
    db.session.add(message)
    return message


def deliver_queued(ids: list[int] | None = None) -> tuple[int, int]:
    """Try to send queued messages (the given ones, or every unsent one). Returns (sent, failed).

    Never raises for a transport failure: the error is logged and kept on the row.
    """
    query = select(OutgoingMail).where(OutgoingMail.sent_at.is_(None), OutgoingMail.attempts < MAX_ATTEMPTS)
    if ids is not None:
        if not ids:
            return 0, 0
        query = query.where(OutgoingMail.id.in_(ids))
    sent = failed = 0
    for message in db.session.scalars(query.order_by(OutgoingMail.id)).all():
        message.attempts += 1
        try:
            send_email(message.recipients.split(", "), message.subject, message.body)
        except Exception as error:  # noqa: BLE001 - any transport failure is retried later
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            failed += 1
            log.warning("Mail %s to %s failed: %s", message.id, message.recipients, message.last_error)
        else:
            message.sent_at = utcnow()
            message.last_error = ""
            sent += 1
        db.session.commit()
    return sent, failed


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
