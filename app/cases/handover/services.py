"""Hand-overs between kinds: the original is never rewritten, a new case is made, and both
point at each other.

- A lex Sarah report judged "none" (no misconduct) is handed over to be handled as a
  deviation (`hand_over_to_deviation`): a new deviation with its own AV reference, and
  the report is closed with `handover = "to_deviation"`.
- A deviation or a complaint that reveals a misconduct is escalated to a lex Sarah
  report (`escalate_to_lex_sarah`): a new LS reference, the officers are e-mailed, and
  the original records `handover = "to_lex_sarah"`; a deviation is closed, a complaint
  stays open for its answer (app.workflow says which).

The new case has `origin_case_id`; statistics count the original (under its own kind)
and the hand-over, never the new case as a new report. Both are journaled on both cases.
"""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import commands, mailer
from app.auth.models import User
from app.cases import journal
from app.cases.models import LEX_SARAH_TYPES, Case, Category
from app.cases.references import next_reference
from app.clock import to_local, utcnow
from app.commands import CaseWorkError
from app.extensions import db
from app.urls import external_url
from app.workflow import Kind, Status

# What the new case takes over from the original: what happened, when, and the client.
COPIED = ("summary", "description", "occurred_on", "occurred_time", "noticed_on", "noticed_how",
          "consequences", "immediate_measures", "client_name", "client_pin", "client_gender",
          "client_is_child", "bypass_manager")


def _categories_as(kind: str, categories: list[Category]) -> list[Category]:
    """The new kind's active categories with the same names (the lists are separate per kind)."""
    names = [c.name for c in categories]
    if not names:
        return []
    return list(db.session.scalars(select(Category).where(Category.kind == kind, Category.active,
                                                          Category.name.in_(names)).order_by(Category.position)))


def _new_case(original: Case, kind: str, actor, **fields) -> Case:
    """The new case, received now, in the original's unit, filed on the original's reporter's
    behalf (so that they can follow it) and journaled as made by the person handing over."""
    now = utcnow()
    values = {name: getattr(original, name) for name in COPIED}
    values.update(fields)
    case = Case(kind=kind, status=Status.RECEIVED, unit=original.unit, reporter=original.reporter, received_at=now,
                reference=next_reference(kind, to_local(now).year), origin_case_id=original.id,
                categories=_categories_as(kind, original.categories), **values)
    db.session.add(case)
    db.session.flush()
    return case


def _close(case: Case, actor, status: str, summary: str) -> None:
    case.status = status
    if status == Status.CLOSED:
        case.closed_at, case.closed_by, case.closing_summary = utcnow(), actor, summary


def hand_over_to_deviation(actor, reference: str, *, reason: str, expected_version: int) -> Case:
    """A lex Sarah report judged not to be a misconduct goes on as a deviation. Returns the new case."""
    report = commands.begin(actor, reference, "hand_over_to_deviation", expected_version)
    reason = commands.required(reason, _("Skriv varför händelsen ska hanteras som en avvikelse."), "reason", 5000)
    status = commands.target(report, "hand_over_to_deviation")
    deviation = _new_case(report, Kind.DEVIATION, actor)
    report.handover = "to_deviation"
    _close(report, actor, status, reason)
    journal.add_event(report, "handed_over", actor, text=reason, new_case_id=deviation.id,
                      new_reference=deviation.reference)
    journal.add_event(deviation, "filed", actor,
                      text=_("Överlämnad från lex Sarah-rapport %(ref)s för att hanteras som avvikelse.",
                             ref=report.reference), origin_case_id=report.id, origin_reference=report.reference)
    commands.record("case.handed_over", actor, report, new_case_id=deviation.id, new_reference=deviation.reference)
    commands.record("case.filed", actor, deviation, kind=Kind.DEVIATION, origin_case_id=report.id,
            origin_reference=report.reference)
    commands.commit(actor, report, "hand_over_to_deviation")
    return deviation


def report_made_from(reference: str) -> str | None:
    """The reference of the lex Sarah report a case was escalated to (for the refusal's message)."""
    origin = select(Case.id).where(Case.reference == reference).scalar_subquery()
    return db.session.scalar(select(Case.reference).where(Case.origin_case_id == origin, Case.kind == Kind.LEX_SARAH))


def escalate_to_lex_sarah(actor, reference: str, *, lex_sarah_type: str, reason: str,
                          expected_version: int) -> Case:
    """A deviation or complaint that revealed a misconduct (or a concrete risk of one) becomes a
    lex Sarah report; the officers are told by e-mail. Returns the new report."""
    original = commands.begin(actor, reference, "escalate_to_lex_sarah", expected_version)
    if lex_sarah_type not in LEX_SARAH_TYPES:
        raise CaseWorkError(_("Välj om det är ett missförhållande eller en påtaglig risk för ett."),
                            "lex_sarah_type")
    reason = commands.required(reason, _("Skriv vad som gör att det är ett missförhållande eller en påtaglig risk."),
                       "reason", 5000)
    status = commands.target(original, "escalate_to_lex_sarah")
    report = _new_case(original, Kind.LEX_SARAH, actor, lex_sarah_type=lex_sarah_type)
    original.handover = "to_lex_sarah"
    _close(original, actor, status, reason)
    journal.add_event(original, "escalated", actor, text=reason, new_case_id=report.id,
                      new_reference=report.reference)
    journal.add_event(report, "filed", actor,
                      text=_("Lex Sarah-rapport utifrån %(ref)s: %(why)s", ref=original.reference, why=reason),
                      origin_case_id=original.id, origin_reference=original.reference)
    commands.record("case.escalated", actor, original, new_case_id=report.id, new_reference=report.reference)
    commands.record("case.filed", actor, report, kind=Kind.LEX_SARAH, origin_case_id=original.id,
            origin_reference=original.reference)
    _tell_officers(report)
    commands.commit(actor, original, "escalate_to_lex_sarah")
    return report


def _tell_officers(report: Case):
    """Reference, kind and link only: e-mail is not for case content."""
    officers = db.session.scalars(select(User).where(User.active, User.role == "officer").order_by(User.id))
    link = external_url("cases.case", reference=report.reference)
    with force_locale("sv"):
        return mailer.queue_email(
            [u.email for u in officers if u.email], _("Ny lex Sarah-rapport: %(ref)s", ref=report.reference),
            _("En avvikelse eller ett klagomål har lett till en ny lex Sarah-rapport i Värna: %(ref)s.\n\n"
              "Öppna ärendet: %(link)s\n", ref=report.reference, link=link))
