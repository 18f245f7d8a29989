"""Creating, revoking and checking API tokens."""

import hashlib
import secrets
from datetime import date, timedelta

from flask import g
from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.api.models import ApiToken
from app.auth.models import User
from app.auth.permissions import Action, ensure
from app.clock import today_local, utcnow
from app.commands import Refused
from app.extensions import db

PREFIX = "varna_"
MAX_NAME = 100
# A system polling the API would otherwise cost a database write on every request.
LAST_USED_EVERY = timedelta(minutes=1)


class TokenError(Refused):
    pass


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def list_tokens(actor) -> list[ApiToken]:
    ensure(actor, Action.MANAGE_USERS)
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.revoked_at.is_not(None),
                                                             ApiToken.created_at.desc(), ApiToken.id.desc())))


def create_token(actor, *, user_id: int | None, name: str, expires_on: date | None = None) -> tuple[ApiToken, str]:
    """A new token for a person, working through `expires_on` (Stockholm) or, without it, until revoked;
    returns the row and the token itself, which is never shown again."""
    ensure(actor, Action.MANAGE_USERS)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        raise TokenError(_("Välj en aktiv användare i listan."), "user_id")
    name = " ".join((name or "").split())
    if not name:
        raise TokenError(_("Ange vad nyckeln ska användas till."), "name")
    if len(name) > MAX_NAME:
        raise TokenError(_("Högst %(n)d tecken.", n=MAX_NAME), "name")
    if expires_on is not None and expires_on < today_local():
        raise TokenError(_("Sista giltighetsdagen kan inte ha passerat."), "expires_on")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=user, name=name, token_hash=_digest(token), prefix=token[:12], created_by_id=actor.id,
                   expires_on=expires_on)
    db.session.add(row)
    db.session.flush()
    audit.record("api_token.created", actor=actor, object_type="api_token", object_id=row.id,
                 detail={"user_id": user.id, "name": name, "prefix": row.prefix,
                         "expires_on": expires_on.isoformat() if expires_on else None})
    db.session.commit()
    return row, token


def revoke_token(actor, token_id: int) -> ApiToken:
    ensure(actor, Action.MANAGE_USERS)
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise TokenError(_("Nyckeln finns inte."))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record("api_token.revoked", actor=actor, object_type="api_token", object_id=row.id,
                     detail={"user_id": row.user_id, "prefix": row.prefix})
        db.session.commit()
    return row


def user_for_token(token: str) -> User | None:
    """The active person a valid, unrevoked, unexpired token belongs to (and note when it was used)."""
    if not token.startswith(PREFIX):
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or row.expired or not row.user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_EVERY:
        # Its own small commit, so that the use is noted whatever the request does next; nothing
        # else is pending yet (this runs when the request first asks who is calling).
        row.last_used_at = now
        db.session.commit()
    g.api_token_id = row.id
    return row.user


def load_user_from_request(request) -> User | None:
    """Flask-Login's request loader: `Authorization: Bearer <token>`, on /api/ paths only."""
    if not request.path.startswith("/api/"):
        return None
    scheme, _space, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return user_for_token(value.strip())
