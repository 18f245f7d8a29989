"""Checking the audit log's HMAC chain (written by app/audit.py) and `flask --app wsgi audit verify`.

The walk names the first row that is wrong:
- "missing": an id is skipped, or the log ends before the head's last id: rows were deleted;
- "changed": the row's MAC does not fit its content after the row before it: the row (or its
  MAC) was changed, or replaced by another row with the same id;
- "inserted": a row after the chain head's last id that does not fit: written into the
  database directly, not by Värna.

The full walk is for the command line (and cron); the admin's page shows the result of the
last full walk (stored as an `audit.verified` event, itself part of the chain) and checks only
the newest rows live, so that a log of millions of rows does not make the page slow.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import click
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from app import audit
from app.audit import AuditChainHead, AuditEvent
from app.extensions import db

BATCH = 2000
LIVE_ROWS = 1000

_COLUMNS = (AuditEvent.id, AuditEvent.at, AuditEvent.user_id, AuditEvent.user_name, AuditEvent.action,
            AuditEvent.object_type, AuditEvent.object_id, AuditEvent.ip, AuditEvent.detail, AuditEvent.mac)


@dataclass
class ChainReport:
    ok: bool
    checked: int = 0              # rows whose MAC was checked and fit
    first_id: int | None = None   # the first row checked
    up_to: int | None = None      # the last row that fits (everything from first_id to here is intact)
    broken_id: int | None = None  # the first wrong row
    problem: str = ""             # "missing", "changed" or "inserted"
    start_id: int = 1             # rows before this one predate the chain and are not covered

    def as_detail(self) -> dict:
        return {"ok": self.ok, "checked": self.checked, "first_id": self.first_id, "up_to": self.up_to,
                "broken_id": self.broken_id, "problem": self.problem, "start_id": self.start_id}

    def describe(self) -> str:
        """One line in English for the command line."""
        covered = (f" Rows before {self.start_id} were written before the chain existed and are not covered."
                   if self.start_id > 1 else "")
        if self.ok:
            if not self.checked:
                return "OK: no chained rows yet." + covered
            rows = "1 row" if self.checked == 1 else f"{self.checked} rows"
            return f"OK: {rows} verified, {self.first_id} to {self.up_to}." + covered
        what = {"missing": "missing (deleted)", "changed": "changed (its MAC does not match its content)",
                "inserted": "inserted (not written by Värna: its MAC does not fit the chain)"}[self.problem]
        intact = f" Rows {self.first_id} to {self.up_to} are intact." if self.up_to else ""
        return f"BROKEN: row {self.broken_id} was {what}.{intact}" + covered


def _head() -> AuditChainHead | None:
    return db.session.scalar(select(AuditChainHead).where(AuditChainHead.id == audit.HEAD_ID)
                             .execution_options(populate_existing=True))


def _rows_from(first_id: int) -> Iterator:
    after = first_id - 1
    while True:
        batch = db.session.execute(select(*_COLUMNS).where(AuditEvent.id > after)
                                   .order_by(AuditEvent.id).limit(BATCH)).all()
        yield from batch
        if len(batch) < BATCH:
            return
        after = batch[-1].id


def _walk(first_id: int, previous_mac: str, head: AuditChainHead) -> ChainReport:
    key = audit.audit_key()
    report = ChainReport(ok=True, start_id=head.start_id)
    expected = first_id
    for row in _rows_from(first_id):
        if row.id != expected:
            return _broken(report, expected, "missing")
        if row.mac != audit.compute_mac(key, previous_mac, row):
            return _broken(report, row.id, "inserted" if row.id > head.last_id else "changed")
        if report.first_id is None:
            report.first_id = row.id
        report.checked += 1
        report.up_to = row.id
        previous_mac = row.mac
        expected = row.id + 1
    # The head was read before the rows: a log that ends before the head's last id lost its newest rows.
    if expected <= head.last_id:
        return _broken(report, expected, "missing")
    return report


def _broken(report: ChainReport, row_id: int, problem: str) -> ChainReport:
    report.ok, report.broken_id, report.problem = False, row_id, problem
    return report


def verify_all() -> ChainReport:
    """Walk the whole chain, oldest row first."""
    head = _head()
    if head is None:
        return ChainReport(ok=True)
    return _walk(head.start_id, "", head)


def verify_recent(rows: int = LIVE_ROWS) -> ChainReport:
    """Check the newest `rows` rows, each against the one before it (the oldest against its
    predecessor's stored MAC). Cheap enough for every view of the admin's page."""
    head = _head()
    if head is None:
        return ChainReport(ok=True)
    newest = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    first = max(head.start_id, max(newest, head.last_id) - rows + 1)
    previous_mac = ""
    if first > head.start_id:
        previous_mac = db.session.scalar(select(AuditEvent.mac).where(AuditEvent.id == first - 1))
        if previous_mac is None:
            return _broken(ChainReport(ok=True, start_id=head.start_id), first - 1, "missing")
    return _walk(first, previous_mac, head)


def last_full_verification() -> AuditEvent | None:
    """The stored result of the last `flask audit verify` (an audit.verified event)."""
    return db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.verified")
                             .order_by(AuditEvent.id.desc()).limit(1))


# --- the command line ------------------------------------------------------------------------

audit_cli = AppGroup("audit", help="The audit log.")


@audit_cli.command("verify")
def verify_command():
    """Walk the audit log's HMAC chain; name the first changed, deleted or inserted row.

    Exit status 1 when the chain is broken. The result is also written to the log, where the
    admin's log page shows it.
    """
    report = verify_all()
    db.session.rollback()  # end the reading transaction; the result is written in a new one
    click.echo(report.describe())
    try:
        audit.record("audit.verified", detail=report.as_detail())
        db.session.commit()
    except SQLAlchemyError as error:
        # E.g. a row inserted behind Värna's back holds the id the next entry would get.
        db.session.rollback()
        click.echo(f"The result could not be written to the audit log: {error.__class__.__name__}.", err=True)
        raise SystemExit(1) from None
    if not report.ok:
        raise SystemExit(1)
