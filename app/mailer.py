"""Sending e-mail. In development nothing leaves the machine: messages are written to
instance/outbox/ as .eml files and listed on an admin page; in production Flask-Mail
sends them through the configured SMTP server (MAIL_TRANSPORT=smtp).

E-mails from Värna carry references and links, never descriptions or personal data.
"""

import os
import secrets
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from flask import current_app
from flask_mail import Message

from app.clock import utcnow
from app.extensions import mail


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
