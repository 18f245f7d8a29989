"""What every filing does, whoever files and whatever the kind: one transaction that
creates the case with its reference, first journal event and audit entry, and
queues the e-mails; the e-mails go out only after the commit."""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import audit, mailer
from app.auth.models import User, user_units
from app.cases import journal
from app.cases.models import Case, Category
from app.cases.references import next_reference
from app.clock import to_local, utcnow
from app.extensions import db
from app.labels import KIND_WORDS_SV
from app.org.models import Unit
from app.urls import external_url
from app.workflow import Kind, Status


def _notice_texts(kind: str, reference: str, link: str) -> tuple[str, str]:
    # Whole sentences per kind: "klagomål" is neuter ("ett nytt klagomål"), the others are not.
    if kind == Kind.COMPLAINT:
        return (_("Nytt klagomål: %(ref)s", ref=reference),
                _("Ett nytt klagomål har kommit in till Värna: %(ref)s.\n\nÖppna ärendet: %(link)s\n",
                  ref=reference, link=link))
    kind_name = KIND_WORDS_SV[kind]
    return (_("Ny %(kind)s: %(ref)s", kind=kind_name, ref=reference),
            _("En ny %(kind)s har kommit in till Värna: %(ref)s.\n\nÖppna ärendet: %(link)s\n",
              kind=kind_name, ref=reference, link=link))


def open_case(*, kind: str, unit: Unit, reporter: User | None, categories: list[Category],
              keep_ip: bool = True, registered_by: User | None = None, **fields) -> Case:
    """Create a case in status "received" in the current transaction (the caller commits).

    `fields` are Case columns (summary, description, occurred_on, ...). `registered_by`: the
    person in Värna who filed it, when not the reporter themselves (the journal and the audit
    entry name them as the one who acted, and for whom).
    """
    now = utcnow()
    registrar = registered_by or reporter
    case = Case(kind=kind, status=Status.RECEIVED, unit=unit, reporter=reporter, registered_by=registrar,
                received_at=now, reference=next_reference(kind, to_local(now).year), categories=categories,
                **fields)
    db.session.add(case)
    db.session.flush()
    detail = {}
    if registrar is not None and case.registered_for_someone:
        # Who registered for whom; the journal is read by the handlers, like the case page.
        detail = {"registered_for": case.reporter_name_shown or None, "reporter_id": case.reporter_id}
    journal.add_event(case, "filed", registrar, **detail)
    audit.record("case.filed", actor=registrar, object_type="case", object_id=case.id,
                 detail={"reference": case.reference, "kind": kind, **detail}, keep_ip=keep_ip)
    return case


def people_choices(filer) -> list[tuple[int, str]]:
    """Everyone in Värna a report can name, by name (the board reads statistics only); not the
    person filing, who is neither their own registrar's reporter nor concerned by what they file."""
    statement = select(User.id, User.full_name, User.title).where(User.active, User.role != "board")
    if filer is not None:
        statement = statement.where(User.id != filer.id)
    rows = db.session.execute(statement.order_by(User.full_name, User.id))
    return [(i, f"{name}, {title}" if title else name) for i, name, title in rows]


def case_handlers(case: Case) -> list[User]:
    """Who is told about a new case.

    Investigators of the case's unit and the units above it; for lex Sarah also
    the officers; and only the officers when the reporter asked that the report
    not go to their nearest manager.
    """
    officers = select(User).where(User.active, User.role == "officer").order_by(User.id)
    concerned = case.concerned_user_ids  # the staff the report concerns are never told of it
    if concerned:
        officers = officers.where(User.id.not_in(concerned))
    if case.kind == Kind.LEX_SARAH and case.bypass_manager:
        return list(db.session.scalars(officers))
    investigators = select(User).join(user_units).where(
        User.active, User.role == "investigator", user_units.c.unit_id.in_(case.unit_path)).distinct()
    if concerned:
        investigators = investigators.where(User.id.not_in(concerned))
    people = {u.id: u for u in db.session.scalars(investigators)}
    # A unit nobody investigates (yet) must not swallow the report: the officers, who
    # see every case, are told instead.
    if case.kind == Kind.LEX_SARAH or not people:
        people.update({u.id: u for u in db.session.scalars(officers)})
    return sorted(people.values(), key=lambda u: u.id)


def case_link(case: Case) -> str:
    return external_url("cases.case", reference=case.reference)


def queue_filing_mail(case: Case) -> list[int]:
    """Queue the notice to the handlers and the receipt to the reporter; returns the queued ids.

    Only reference, kind and link: never the description or anything about the client.
    """
    queued = []
    with force_locale("sv"):
        handlers = [u.email for u in case_handlers(case) if u.email]
        notice = mailer.queue_email(handlers, *_notice_texts(case.kind, case.reference, case_link(case)))
        receipt = None
        if case.reporter is not None and case.reporter.email:
            if case.registered_for_someone:
                # The actual reporter is told that someone wrote their report down, and by whom.
                body = _("%(name)s har registrerat din rapport i Värna som %(ref)s.\n\n"
                         "Du kan följa den under Mina rapporter: %(link)s\n", name=case.registered_by.full_name,
                         ref=case.reference, link=external_url("intake.my_reports"))
            else:
                body = _("Tack för din rapport. Den har registrerats som %(ref)s.\n\n"
                         "Du kan följa den under Mina rapporter: %(link)s\n",
                         ref=case.reference, link=external_url("intake.my_reports"))
            receipt = mailer.queue_email([case.reporter.email], _("Kvitto: %(ref)s", ref=case.reference), body)
    db.session.flush()
    queued += [m.id for m in (notice, receipt) if m is not None]
    return queued
