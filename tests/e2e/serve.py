"""The application the browser tests talk to: Värna's own create_app(), configured from
E2E_* environment variables so that the test session decides the database, the outbox
and the attachment folder (instance/config.py on a developer's machine is not read).

The fixture in conftest.py runs, as separate processes:
    flask --app tests.e2e.serve db upgrade
    flask --app tests.e2e.serve demo load
    flask --app tests.e2e.serve run --host 127.0.0.1 --port N
"""

import os

from app import create_app

_tmp = os.environ["E2E_TMP_DIR"]

# E2E_SMTP_PORT: send to a real SMTP server on loopback (a journey's aiosmtpd) instead of the outbox.
_smtp = {"MAIL_TRANSPORT": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": int(os.environ["E2E_SMTP_PORT"]),
         "MAIL_USE_TLS": False, "MAIL_USE_SSL": False, "MAIL_USERNAME": None, "MAIL_PASSWORD": None} \
    if os.environ.get("E2E_SMTP_PORT") else {"MAIL_TRANSPORT": "outbox"}

app = create_app({
    "SQLALCHEMY_DATABASE_URI": os.environ["E2E_DATABASE_URL"],
    "SECRET_KEY": os.environ["E2E_SECRET_KEY"],
    "VARNA_ENV": "development",
    "OUTBOX_DIR": os.path.join(_tmp, "outbox"),
    "ATTACHMENT_DIR": os.path.join(_tmp, "attachments"),
    "BASE_URL": os.environ.get("E2E_BASE_URL", "http://127.0.0.1:5000"),
    **_smtp,
})
