"""Who was informed: the individual, the representative, the case file, the reporter, the work group.

Recording it is a command on the case (app/commands.py): ``record_informing(actor, reference, *, items,
expected_version)``, the case's version the person's form was loaded with."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from app import commands
from app.auth.models import User
from app.cases import journal
from app.cases.models import Case
from app.clock import utcnow
from app.extensions import db
from app.lexsarah.common import (
    audit_case,
    check_day,
    check_length,
    clean,
    raise_errors,
    report_date,
)
from app.lexsarah.models import (
    INFORMING_ITEMS,
    LexSarahInforming,
)
from app.workflow import Kind

# --- informing ---------------------------------------------------------------------------

@dataclass(frozen=True)
class InformingItem:
    """One line of the informing list: done on a date, not applicable (with a reason), or neither yet."""

    on: date | str | None = None  # a date, or the text a person typed
    not_applicable: bool = False
    reason: str = ""


def record_informing(actor: User, reference: str, *, items: dict[str, InformingItem],
                     expected_version: int) -> LexSarahInforming:
    case = commands.begin(actor, reference, "record_informing", expected_version)
    informing = case.lex_sarah_informing
    errors: dict[str, str] = {}
    values: dict[str, tuple[date | None, str]] = {}
    for name in INFORMING_ITEMS:
        item = items.get(name, InformingItem())
        reason = clean(item.reason)
        check_length(errors, f"{name}_reason", reason, 2000)
        if item.not_applicable:
            if item.on not in (None, ""):
                errors[f"{name}_on"] = _("Ange antingen ett datum eller att det inte är aktuellt, inte båda.")
            if not reason:
                errors[f"{name}_reason"] = _("Skriv varför det inte är aktuellt.")
            values[name] = (None, reason)
        else:
            values[name] = (check_day(errors, f"{name}_on", item.on, not_before=report_date(case),
                                       before_label=_("rapportens datum"), required=False), "")
    raise_errors(errors)
    commands.target(case, "record_informing")
    informing = informing or LexSarahInforming(case=case)
    changed = []
    for name, (on, reason) in values.items():
        if (getattr(informing, f"{name}_on"), getattr(informing, f"{name}_na_reason") or "") != (on, reason):
            changed.append(name)
            setattr(informing, f"{name}_on", on)
            setattr(informing, f"{name}_na_reason", reason)
    informing.updated_by_id, informing.updated_at = actor.id, utcnow()
    db.session.add(informing)
    if changed:
        journal.add_event(case, "informing_recorded", actor, _("Uppgifter om information och återkoppling "
                                                                 "uppdaterades."), changed=changed)
        audit_case("informing_recorded", actor, case, changed=changed)
    commands.commit(actor, case, "record_informing")
    return informing




def fill_reporter_item(case: Case, *, actor: User, on: date) -> None:
    """Feedback given to the reporter of a lex Sarah report settles the informing item "the reporter"
    (unless it is already settled); same transaction as the feedback. Connected to
    app.cases.signals.reporter_given_feedback by create_app()."""
    if case.kind != Kind.LEX_SARAH:
        return
    informing = case.lex_sarah_informing or LexSarahInforming(case=case)
    if informing.settled("reporter"):
        return
    informing.reporter_on, informing.reporter_na_reason = on, ""
    informing.updated_by_id, informing.updated_at = actor.id, utcnow()
    db.session.add(informing)
    journal.add_event(case, "informing_recorded", actor, _("Rapportören har fått återkoppling (registrerat med "
                                                           "återkopplingen)."), changed=["reporter"])
