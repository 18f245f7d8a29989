"""Immediate protection ("omedelbart", SOSFS 2011:5): what the receiver of a lex Sarah report did
at once to protect the individual, when, and by whom. Its own step: the first thing to do on
the case until it is recorded (the move `record_protection` comes first in app/workflow.py), with
its own deadline, the day after the report came in.
"""

from datetime import date

from flask_babel import gettext as _

from app import commands
from app.cases import journal
from app.cases.deadlines.services import fixed_due_on
from app.cases.models import Case
from app.clock import today_local, utcnow
from app.commands import CaseWorkError
from app.extensions import db
from app.lexsarah.common import read_day
from app.lexsarah.models import LexSarahProtection
from app.workflow import Kind

MOVE = "record_protection"


def due_on(case: Case) -> date:
    """"Omedelbart": at the latest the day after the report came in. The deadline step "protection"
    (app/cases/deadlines/services.py: FIXED) holds the rule; the desk and the digest read it here."""
    return fixed_due_on(Kind.LEX_SARAH, "protection", case.received_at)


def open_protection(actor, reference: str) -> Case:
    case = commands.load_case(reference)
    commands.begin(actor, reference, MOVE, case.version)
    commands.record("case.viewed", actor, case, page=MOVE)
    db.session.commit()
    return case


def record_protection(actor, reference: str, *, what: str, done_on: date | str | None, done_by: str,
                      expected_version: int) -> LexSarahProtection:
    """Record what was done at once to protect the individual (once; later steps are actions)."""
    case = commands.begin(actor, reference, MOVE, expected_version)
    what = commands.required(what, _("Beskriv vad som gjordes för att skydda den enskilde."), "what", 5000)
    day = read_day("done_on", done_on)
    if day is None:
        raise CaseWorkError(_("Ange när det gjordes."), "done_on")
    if day > today_local():
        raise CaseWorkError(_("Datumet kan inte ligga i framtiden."), "done_on")
    done_by = commands.required(done_by, _("Ange vem som gjorde det."), "done_by", 200)
    commands.target(case, MOVE)
    protection = LexSarahProtection(case=case, what=what, done_on=day, done_by=done_by, recorded_by_id=actor.id,
                                    recorded_by_name=actor.full_name, recorded_at=utcnow())
    db.session.add(protection)
    journal.add_event(case, "protection_recorded", actor, text=what, done_on=day.isoformat(), done_by=done_by,
                      late=day > due_on(case))
    commands.record("lexsarah.protection_recorded", actor, case, done_on=day.isoformat())
    commands.commit(actor, case, MOVE)
    return protection
