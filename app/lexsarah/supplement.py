"""IVO's requests for a supplement (komplettering) to a notified lex Sarah report, and the replies.

IVO may ask more than once, each time with its own last day; each request is a row
(LexSarahSupplement) and is answered on its own. The open ones are on the officer's desk
(app/lexsarah/desk.py) and in the officers' daily digest (app/lexsarah/reminders.py).
Both are commands on the case (app/commands.py), like the notification's steps.
"""

from datetime import date

from flask_babel import gettext as _

from app import commands
from app.auth.models import User
from app.cases import journal
from app.cases.models import Case
from app.clock import utcnow
from app.extensions import db
from app.lexsarah.common import (
    LexSarahError,
    audit_case,
    check_day,
    check_length,
    clean,
    parse_day,
    raise_errors,
)
from app.lexsarah.models import LexSarahSupplement


def open_supplements(case: Case) -> list[LexSarahSupplement]:
    """The case's requests not yet answered, the nearest deadline first."""
    return sorted((s for s in case.lex_sarah_supplements if s.answered_on is None), key=lambda s: (s.due_on, s.id))


def record_supplement_request(actor: User, reference: str, *, requested_on: date | str | None,
                              due_on: date | str | None, text: str, expected_version: int) -> LexSarahSupplement:
    """IVO asks for a supplement by a deadline; it is on the desk until answered."""
    case = commands.begin(actor, reference, "record_supplement_request", expected_version)  # notified
    ivo = case.lex_sarah_ivo
    text = clean(text)
    errors: dict[str, str] = {}
    requested_on = check_day(errors, "requested_on", requested_on, not_before=ivo.sent_on,
                             before_label=_("anmälan till IVO"))
    due = parse_day(errors, "due_on", due_on)
    if "due_on" not in errors:
        if due is None:
            errors["due_on"] = _("Ange IVO:s sista dag för kompletteringen (ÅÅÅÅ-MM-DD).")
        elif requested_on is not None and due < requested_on:
            errors["due_on"] = _("Sista dagen kan inte ligga före begäran.")
    if not text:
        errors["text"] = _("Skriv vad IVO vill ha in.")
    check_length(errors, "text", text)
    raise_errors(errors)
    commands.target(case, "record_supplement_request")
    request = LexSarahSupplement(case_id=case.id, requested_on=requested_on, due_on=due, request_text=text,
                                 requested_by_id=actor.id, requested_at=utcnow())
    db.session.add(request)
    db.session.flush()
    journal.add_event(case, "ivo_supplement_requested", actor,
                      _("IVO begärde komplettering %(day)s, senast %(due)s.", day=requested_on.isoformat(),
                        due=due.isoformat()), requested_on=requested_on.isoformat(), due_on=due.isoformat(),
                      supplement_id=request.id)
    audit_case("ivo_supplement_requested", actor, case, due_on=due.isoformat(), supplement_id=request.id)
    commands.commit(actor, case, "record_supplement_request")
    return request


def record_supplement_reply(actor: User, reference: str, *, answered_on: date | str | None,
                            supplement_id: int | str | None = None, expected_version: int) -> LexSarahSupplement:
    """The supplement IVO asked for in one request was sent. Without an id: the only open request."""
    # some request not yet answered
    case = commands.begin(actor, reference, "record_supplement_reply", expected_version)
    still_open = open_supplements(case)
    if supplement_id is None and len(still_open) == 1:
        request = still_open[0]
    else:
        wanted = str(supplement_id or "").strip()
        request = next((s for s in still_open if str(s.id) == wanted), None)
    if request is None:
        raise LexSarahError({"supplement_id": _("Välj vilken begäran från IVO kompletteringen svarar på.")})
    errors: dict[str, str] = {}
    answered_on = check_day(errors, "answered_on", answered_on, not_before=request.requested_on,
                            before_label=_("IVO:s begäran"))
    raise_errors(errors)
    commands.target(case, "record_supplement_reply")
    request.answered_on, request.answered_by_id = answered_on, actor.id
    journal.add_event(case, "ivo_supplement_sent", actor,
                      _("Kompletteringen skickades till IVO %(day)s.", day=answered_on.isoformat()),
                      answered_on=answered_on.isoformat(), late=request.late, supplement_id=request.id)
    audit_case("ivo_supplement_sent", actor, case, answered_on=answered_on.isoformat(), late=request.late,
               supplement_id=request.id)
    commands.commit(actor, case, "record_supplement_reply")
    return request

