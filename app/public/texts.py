"""Texts of the public pages that the admin edits (today the personal-data page, /personuppgifter).

Plain text only: paragraphs separated by a blank line, line breaks kept, everything shown
escaped. A text is never HTML, so an admin's typo or a pasted snippet cannot change the page.
No stored text: the page shows its built-in default (app/templates/public/personal_data.html).
"""

from flask_babel import gettext as _

from app import audit
from app.auth.permissions import Action, ensure
from app.clock import utcnow
from app.commands import Refused
from app.extensions import db
from app.public.models import PublicText

PERSONAL_DATA = "personal_data"
KEYS = (PERSONAL_DATA,)
BODY_MAX = 20_000


class PublicTextError(Refused):
    pass


def text_of(key: str) -> str:
    """The stored text, or "" for the built-in default."""
    row = db.session.get(PublicText, key)
    return row.body if row is not None else ""


def paragraphs(text: str) -> list[list[str]]:
    """The text as paragraphs (split at blank lines), each a list of its lines."""
    lines_of, current = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            lines_of.append(current)
            current = []
    if current:
        lines_of.append(current)
    return lines_of


def set_text(actor, key: str, body: str) -> None:
    """Store the page's text (audited); an empty text brings back the built-in default."""
    ensure(actor, Action.MANAGE_SETTINGS)
    if key not in KEYS:
        raise PublicTextError(_("Okänd text."), "body")
    body = (body or "").replace("\r\n", "\n").strip()
    if len(body) > BODY_MAX:
        raise PublicTextError(_("Skriv högst 20 000 tecken."), "body")
    row = db.session.get(PublicText, key)
    if not body:
        if row is None:
            return
        db.session.delete(row)
        audit.record("public_text.reset", actor=actor, object_type="public_text", object_id=key,
                     detail={"key": key})
    else:
        if row is not None and row.body == body:
            return
        if row is None:
            row = PublicText(key=key, body=body)
            db.session.add(row)
        row.body, row.updated_at, row.updated_by_id = body, utcnow(), actor.id
        audit.record("public_text.updated", actor=actor, object_type="public_text", object_id=key,
                     detail={"key": key})
    db.session.commit()
