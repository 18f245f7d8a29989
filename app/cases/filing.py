"""What every filing does, whoever files and whatever the kind: one transaction that
creates the case with its reference, first journal event and audit entry, and
queues the e-mails; the e-mails go out only after the commit."""

import secrets

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from app import audit, mailer
from app.auth.models import User, user_units
from app.cases import journal
from app.cases.deadlines.services import first_deadline
from app.cases.models import Case, Category, ComplaintDetails, ConcernedStaff, JournalEvent, case_categories
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
    case = new_case(kind=kind, unit=unit, reporter=reporter, categories=categories,
                    registered_by=registered_by, **fields)
    db.session.flush()
    record_filed(case, keep_ip=keep_ip)
    return case


def new_case(*, kind: str, unit: Unit, reporter: User | None, categories: list[Category],
             registered_by: User | None = None, **fields) -> Case:
    """The case and its "filed" journal event, added to the session but not yet flushed: the
    caller adds what else belongs to the filing, flushes once, then calls `record_filed`."""
    now = utcnow()
    registrar = registered_by or reporter
    # The collections a new case starts with are given here (empty), so that nothing reads
    # them from the database after the flush (a lazy load each: the concerned staff for the
    # notices, the attachments for their audit entries).
    # The ids beside the objects: what is asked of the case before its flush
    # (registered_for_someone, the permission function's inputs) reads the ids.
    case = Case(kind=kind, status=Status.RECEIVED, unit=unit, unit_id=unit.id, reporter=reporter,
                reporter_id=getattr(reporter, "id", None), registered_by=registrar,
                registered_by_id=getattr(registrar, "id", None), received_at=now,
                reference=next_reference(kind, to_local(now).year), categories=categories,
                concerned=[], attachments=[], **fields)
    db.session.add(case)
    journal.add_event(case, "filed", registrar, **_registration_detail(case))
    return case


# The columns a new case is written with when the filing does not give them: the model's own
# scalar defaults, read from it, so that a column added with a default is not written as NULL here.
# A column whose default only the database knows (server_default) is named here with its value:
# the INSERT below names every column, so the database's default would not apply
# (tests/test_speed_filing.py checks that each such column is here).
_CASE_DEFAULTS = {**{column.key: column.default.arg for column in Case.__table__.columns
                     if column.default is not None and column.default.is_scalar},
                  "possible_misconduct": False}


_INSERT_CASE = insert(Case.__table__).returning(Case.__table__.c.id)


def prepare_case(*, kind: str, unit: Unit, reporter: User | None, categories: list[Category],
                 registered_by: User | None = None, complaint: dict | None = None, **fields) -> Case:
    """The first half of a filing written with one INSERT per table (`write_case`): the case as
    a plain object, not yet numbered nor written, with its unit, people and categories and its
    next deadline (computed here, once, from the rules read now; the flush hook of
    app.cases.deadlines does it for cases written through the ORM).

    What else the filing reads (the handlers to notify: `handler_emails`) is read between the
    two halves: `write_case` takes the reference number, whose counter row stays locked until
    the commit (every filing of the kind waits for it), so the reads go before it.
    """
    registrar = registered_by or reporter
    row = {column.key: None for column in Case.__table__.columns if column.key != "id"}
    row.update(_CASE_DEFAULTS)
    row.update(fields, kind=kind, status=Status.RECEIVED, unit_id=unit.id, reporter_id=getattr(reporter, "id", None),
               registered_by_id=getattr(registrar, "id", None), received_at=utcnow())
    case = Case(**row)
    # The deadline from the same inputs the hook reads: the case's columns and, for a
    # complaint, its details (whether an acknowledgement is owed), on a stand-in that alone
    # holds them (the case's are written by write_case).
    probe = case if complaint is None else Case(**row, complaint=ComplaintDetails(**complaint))
    case.next_deadline_at = first_deadline(probe)
    # What the filing knows already, set as loaded (set_committed_value: no change to flush,
    # nothing read when asked for).
    set_committed_value(case, "unit", unit)
    set_committed_value(case, "reporter", reporter)
    set_committed_value(case, "registered_by", registrar)
    set_committed_value(case, "categories", list(categories))
    return case


def write_case(case: Case, *, concerned: list[User] = (), complaint: dict | None = None,
               events: list[dict] = (), filed_entry: audit.AuditEvent | None = None, attach: bool = True) -> Case:
    """The second half (`prepare_case`): the reference number, then the case, its categories,
    concerned staff, complaint details and journal events with one INSERT per table in the
    current transaction (no flush: the unit of work cost a filing more than all else it did);
    the caller then calls `record_filed` and commits.

    `concerned`: the staff the report concerns; `complaint`: the ComplaintDetails columns;
    `events`: further journal events ({"event", "actor", "text", **detail}) after "filed".
    The case becomes a persistent object without being read back: its columns as written,
    its unit, people and categories; its other collections load when asked for.

    Every row is built before the reference number is taken: its counter row stays locked
    until the commit, and every filing of the kind waits for it (on PostgreSQL, with two
    workers, the filings ran one after the other through that lock), so only the statements
    and the case's id are left for after it. So is the audit entry (`filed_entry`, from
    `record_filed` called before: its case id and reference are filled in here), and with
    `attach=False` the case is made persistent only by `keep_as_read`, after the commit.
    """
    row = {column.key: getattr(case, column.key) for column in Case.__table__.columns if column.key != "id"}
    registrar = case.registered_by
    categories = case.categories
    category_rows = [{"case_id": None, "category_id": c.id} for c in categories]
    concerned_rows = [{"case_id": None, "user_id": person.id, "added_at": case.received_at,
                       "added_by_id": getattr(registrar, "id", None)} for person in concerned]
    complaint_row = {**complaint, "case_id": None} if complaint is not None else None
    now = utcnow()
    journal_rows = [
        {"case_id": None, "at": now, "actor_id": getattr(event["actor"], "id", None),
         "actor_name": getattr(event["actor"], "full_name", "") or "", "event": event["event"],
         "text": event.get("text", ""),
         "detail": {k: v for k, v in event.items() if k not in ("event", "actor", "text")}}
        for event in ({"event": "filed", "actor": registrar, "text": "", **_registration_detail(case)}, *events)]
    children = (*category_rows, *concerned_rows, *journal_rows, *((complaint_row,) if complaint_row else ()))

    case.reference = row["reference"] = next_reference(case.kind, to_local(case.received_at).year)
    case.id = case_id = db.session.execute(_INSERT_CASE, row).scalar_one()
    for child in children:
        child["case_id"] = case_id
    if category_rows:
        db.session.execute(_INSERT_CATEGORIES, category_rows)
    if concerned_rows:
        db.session.execute(_INSERT_CONCERNED, concerned_rows)
    if complaint_row is not None:
        db.session.execute(_INSERT_COMPLAINT, complaint_row)
    db.session.execute(_INSERT_JOURNAL, journal_rows)
    if filed_entry is not None:
        filed_entry.object_id = str(case_id)
        filed_entry.detail["reference"] = case.reference
    if not concerned:
        set_committed_value(case, "concerned", [])
    if attach:
        keep_as_read(case)
    return case


def keep_as_read(case: Case) -> None:
    """The case written by `write_case` into the session as if read: no history, nothing to flush."""
    make_transient_to_detached(case)
    db.session.add(case)


# Built once (with their cache keys), like _INSERT_CASE.
_INSERT_CATEGORIES = insert(case_categories)
_INSERT_CONCERNED = insert(ConcernedStaff.__table__)
_INSERT_COMPLAINT = insert(ComplaintDetails.__table__)
_INSERT_JOURNAL = insert(JournalEvent.__table__)


def _registration_detail(case: Case) -> dict:
    if case.registered_for_someone:
        # Who registered for whom; the journal is read by the handlers, like the case page.
        return {"registered_for": case.reporter_name_shown or None, "reporter_id": case.reporter_id}
    return {}


def record_filed(case: Case, *, keep_ip: bool = True) -> audit.AuditEvent:
    """The audit entry of a filing (after the flush that gave the case its id; or before
    `write_case`, which then fills in the id and the reference)."""
    detail = _registration_detail(case)
    return audit.record("case.filed", actor=case.registered_by, object_type="case", object_id=case.id,
                 detail={"reference": case.reference, "kind": case.kind, **detail}, keep_ip=keep_ip)


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
    return _handlers(case, select(User))


def handler_emails(case: Case, concerned: frozenset[int] | None = None) -> list[str]:
    """The addresses of `case_handlers`, read as plain values (no User objects to build).
    `concerned`: the ids of the staff the report concerns, for a case not yet written."""
    return [row.email for row in _handlers(case, select(User.id, User.email), rows=True, concerned=concerned)
            if row.email]


def _handlers(case: Case, columns, *, rows: bool = False, concerned: frozenset[int] | None = None) -> list:
    run = db.session.execute if rows else db.session.scalars
    if concerned is None:
        concerned = case.concerned_user_ids  # the staff the report concerns are never told of it
    officers, investigators = _HANDLER_STATEMENTS[rows] if not concerned else _handler_statements(columns)
    params = {"units": list(case.unit_path), "concerned": list(concerned)}
    if case.kind == Kind.LEX_SARAH and case.bypass_manager:
        return list(run(officers, params))
    people = {u.id: u for u in run(investigators, params)}
    # A unit nobody investigates (yet) must not swallow the report: the officers, who
    # see every case, are told instead.
    if case.kind == Kind.LEX_SARAH or not people:
        people.update({u.id: u for u in run(officers, params)})
    return sorted(people.values(), key=lambda u: u.id)


def _handler_statements(columns, concerned: bool = True):
    """The officers and the investigators of the case's units (bind parameters `units` and,
    when the report concerns someone, `concerned`)."""
    officers = columns.where(User.active, User.role == "officer").order_by(User.id)
    investigators = columns.join(user_units).where(
        User.active, User.role == "investigator", user_units.c.unit_id.in_(bindparam("units", expanding=True))
    ).distinct()
    if concerned:
        officers = officers.where(User.id.not_in(bindparam("concerned", expanding=True)))
        investigators = investigators.where(User.id.not_in(bindparam("concerned", expanding=True)))
    return officers, investigators


# Built once (with their cache keys) for a report that concerns nobody: people, or addresses.
_HANDLER_STATEMENTS = {False: _handler_statements(select(User), concerned=False),
                       True: _handler_statements(select(User.id, User.email), concerned=False)}


def case_link(case: Case) -> str:
    return external_url("cases.case", reference=case.reference)


def queue_filing_mail(case: Case, handlers: list[str] | None = None) -> None:
    """Queue the notice to the handlers and the receipt to the reporter (flushed with the
    filing, which may still be unflushed: the handlers' query does not flush it first).
    `handlers`: their addresses, when read already (`handler_emails`).

    Only reference, kind and link: never the description or anything about the client.
    """
    mailer.queue_emails(filing_messages(case, handlers))


def filing_messages(case: Case, handlers: list[str] | None = None,
                    reference: str | None = None) -> list[tuple[list[str], str, str]]:
    """The messages `queue_filing_mail` queues: (recipients, subject, body). `reference`: in
    place of the case's (a stand-in, for a case not yet numbered: `with_reference`)."""
    reference = case.reference if reference is None else reference
    with force_locale("sv"), db.session.no_autoflush:
        if handlers is None:
            handlers = handler_emails(case)
        messages = [(handlers, *_notice_texts(case.kind, reference, external_url("cases.case", reference=reference)))]
        if case.reporter is not None and case.reporter.email:
            if case.registered_for_someone:
                # The actual reporter is told that someone wrote their report down, and by whom.
                body = _("%(name)s har registrerat din rapport i Värna som %(ref)s.\n\n"
                         "Du kan följa den under Mina rapporter: %(link)s\n", name=case.registered_by.full_name,
                         ref=reference, link=external_url("intake.my_reports"))
            else:
                body = _("Tack för din rapport. Den har registrerats som %(ref)s.\n\n"
                         "Du kan följa den under Mina rapporter: %(link)s\n",
                         ref=reference, link=external_url("intake.my_reports"))
            messages.append(([case.reporter.email], _("Kvitto: %(ref)s", ref=reference), body))
    return messages


def reference_stand_in() -> str:
    """A stand-in for a reference not yet taken (`filing_messages`): letters and digits only, so
    that it stands unchanged in a link, and random, so that nothing a person typed (a name in
    a message) can hold it."""
    return "VARNAREF" + secrets.token_hex(16)


def with_reference(messages: list[tuple[list[str], str, str]], stand_in: str,
                   reference: str) -> list[tuple[list[str], str, str]]:
    """`messages` built with `stand_in` for the reference, with the reference in its place."""
    return [(to, subject.replace(stand_in, reference), body.replace(stand_in, reference))
            for to, subject, body in messages]
