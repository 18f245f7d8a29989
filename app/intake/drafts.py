"""Server-side drafts of a staff report being written, so that a locked phone or a session that
timed out does not lose it: one draft per person and kind, visible only to its writer (every
query is by the writer's id), removed in the transaction that files the report, by the writer, or
by `flask drafts clean` after REPORT_DRAFT_DAYS days. Nothing is kept in the browser's storage
(phones are shared): the form posts what has been typed to the server (app/static/js/draft.js,
and the "Spara utkast" button without JavaScript). Files are never kept in a draft.
"""

from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, bindparam, delete, select
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import MultiDict

from app import audit
from app.auth.permissions import Action, ensure
from app.clock import utcnow
from app.extensions import db

# Never kept: the CSRF token, the buttons, and the files (a draft holds typed text only).
_SKIPPED = {"csrf_token", "save_draft", "attachments"}
# A draft is a form's worth of text; anything far larger is not a form someone typed.
MAX_VALUES, MAX_VALUE_LENGTH = 200, 20_000


class ReportDraft(db.Model):
    """What someone has typed into a report form of one kind, not yet sent."""

    __tablename__ = "report_drafts"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # {field name: [values]}, as the form posted them (JSON: never parsed as markup, never run).
    fields: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def _plain(formdata) -> dict[str, list[str]]:
    kept: dict[str, list[str]] = {}
    for name in formdata:
        if name in _SKIPPED or len(kept) >= MAX_VALUES:
            continue
        values = [v[:MAX_VALUE_LENGTH] for v in formdata.getlist(name) if isinstance(v, str)]
        if values:
            kept[name[:100]] = values
    return kept


def draft_for(user, kind: str) -> ReportDraft | None:
    return db.session.scalar(select(ReportDraft).where(ReportDraft.user_id == user.id, ReportDraft.kind == kind))


def as_formdata(draft: ReportDraft) -> MultiDict:
    return MultiDict([(name, value) for name, values in (draft.fields or {}).items() for value in values])


def save(user, kind: str, formdata) -> ReportDraft:
    """Keep what the person has typed so far (replacing their earlier draft of this kind)."""
    ensure(user, Action.FILE_REPORT)
    draft = draft_for(user, kind)
    if draft is None:
        draft = ReportDraft(user_id=user.id, kind=kind, fields={})
        db.session.add(draft)
    draft.fields, draft.updated_at = _plain(formdata), utcnow()
    db.session.commit()
    return draft


def carry(user, from_kind: str, to_kind: str, formdata) -> ReportDraft:
    """What was typed into one kind's form becomes the person's draft of another kind (a
    deviation its reporter chose to report under lex Sarah), in one transaction: the text is
    kept in one place only. An earlier draft of `to_kind` is replaced."""
    ensure(user, Action.FILE_REPORT)
    remove_in_transaction(user, from_kind)
    draft = draft_for(user, to_kind)
    if draft is None:
        draft = ReportDraft(user_id=user.id, kind=to_kind, fields={})
        db.session.add(draft)
    draft.fields, draft.updated_at = _plain(formdata), utcnow()
    db.session.commit()
    return draft


# Built once (with its cache key); every filing runs it.
_REMOVE = delete(ReportDraft.__table__).where(ReportDraft.__table__.c.user_id == bindparam("user_id"),
                                              ReportDraft.__table__.c.kind == bindparam("kind"))


def remove_in_transaction(user, kind: str) -> None:
    """Drop the person's draft of this kind in the current transaction (filing the report commits it)."""
    db.session.execute(_REMOVE, {"user_id": user.id, "kind": kind})


def discard(user, kind: str) -> None:
    ensure(user, Action.FILE_REPORT)
    remove_in_transaction(user, kind)
    db.session.commit()


def clean(days: int | None = None) -> int:
    """Remove the drafts nobody has touched for `days` days (REPORT_DRAFT_DAYS); returns how many."""
    days = int(current_app.config["REPORT_DRAFT_DAYS"] if days is None else days)
    cutoff = utcnow() - timedelta(days=days)
    removed = db.session.execute(delete(ReportDraft).where(ReportDraft.updated_at < cutoff)).rowcount or 0
    if removed:
        audit.record("report_draft.cleaned", detail={"count": removed, "days": days})
    db.session.commit()
    return removed


drafts_cli = AppGroup("drafts", help="Server-side drafts of staff reports.")


@drafts_cli.command("clean")
@click.option("--days", type=int, default=None, help="Older than this many days (default REPORT_DRAFT_DAYS).")
def clean_command(days: int | None) -> None:
    """Remove drafts of reports not touched for REPORT_DRAFT_DAYS days (run daily from cron)."""
    click.echo(f"Drafts: {clean(days)} removed.")
