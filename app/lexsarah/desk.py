"""The officer's desk: the lex Sarah reports waiting for something, each list counted in SQL and paged."""

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, or_, select

from app import audit, workflow
from app.auth.models import User
from app.auth.permissions import Action, ensure
from app.cases.deadlines.services import fixed_due_on
from app.cases.models import NO_DEADLINE, Case, concerned_anywhere, not_concerned
from app.clock import to_local, today_local, utcnow
from app.extensions import db
from app.lexsarah.models import (
    INFORMING_ITEMS,
    LexSarahInforming,
    LexSarahIvo,
    LexSarahJudgment,
    LexSarahPositionProposal,
    LexSarahProtection,
    LexSarahSupplement,
)
from app.lexsarah.protection import due_on as protection_due_on
from app.workflow import Kind

# --- the officer's desk -------------------------------------------------------------------

# The whole chain, from the moment a report is filed to the duties after IVO's decision.
DESK_LISTS = ("new", "protection_missing", "under_investigation", "position_proposed", "awaiting_judgment",
              "not_notified",
              "investigation_due", "supplement_due", "decision_awaited", "informing_open")


def _desk_queries(officer: User | None = None):
    # Imported cases are closed history from earlier years: nothing on them is anyone's to do.
    lex_sarah = (Case.kind == Kind.LEX_SARAH) & Case.imported.is_(False)
    if officer is not None and concerned_anywhere(officer):
        lex_sarah = lex_sarah & not_concerned(officer.id)  # jäv: never a report about themselves
    awaiting = (select(Case, LexSarahJudgment).outerjoin(LexSarahJudgment, LexSarahJudgment.case_id == Case.id)
                .where(lex_sarah, Case.status == workflow.Status.AWAITING_JUDGMENT.value))
    not_notified = (select(Case, LexSarahJudgment).join(LexSarahJudgment, LexSarahJudgment.case_id == Case.id)
                    .outerjoin(LexSarahIvo, LexSarahIvo.case_id == Case.id)
                    .where(lex_sarah, LexSarahJudgment.serious.is_(True),
                           or_(LexSarahIvo.case_id.is_(None), LexSarahIvo.decision.is_(None))))
    notified = (select(Case, LexSarahIvo).join(LexSarahIvo, LexSarahIvo.case_id == Case.id)
                .where(lex_sarah, LexSarahIvo.decision == "notified"))
    due = notified.where(LexSarahIvo.investigation_sent_on.is_(None))
    awaited = notified.where(LexSarahIvo.ivo_outcome.is_(None))
    # Each of IVO's requests for a supplement not yet answered (a report may have more than one).
    supplement = (select(Case, LexSarahSupplement).join(LexSarahSupplement, LexSarahSupplement.case_id == Case.id)
                  .where(lex_sarah, LexSarahSupplement.answered_on.is_(None)))
    new = select(Case, Case.id).where(lex_sarah, Case.status == workflow.Status.RECEIVED.value)
    no_protection = (select(Case, Case.id).outerjoin(LexSarahProtection, LexSarahProtection.case_id == Case.id)
                     .where(lex_sarah, Case.status != workflow.Status.CLOSED.value,
                            LexSarahProtection.case_id.is_(None)))
    investigating = select(Case, Case.id).where(lex_sarah, Case.status == workflow.Status.INVESTIGATING.value)
    # An investigator's proposal of a ställningstagande, waiting for the officer's decision.
    proposed = (select(Case, LexSarahPositionProposal)
                .join(LexSarahPositionProposal, LexSarahPositionProposal.case_id == Case.id)
                .where(lex_sarah, LexSarahPositionProposal.outcome.is_(None),
                       Case.status.in_([workflow.Status.RECEIVED.value, workflow.Status.INVESTIGATING.value])))
    # Judged (or closed earlier, before the rule) with an informing item neither done nor "not applicable".
    unsettled = or_(*(getattr(LexSarahInforming, f"{item}_on").is_(None)
                      & (getattr(LexSarahInforming, f"{item}_na_reason") == "") for item in INFORMING_ITEMS))
    informing_open = (select(Case, LexSarahInforming)
                      .outerjoin(LexSarahInforming, LexSarahInforming.case_id == Case.id)
                      .where(lex_sarah, Case.status == workflow.Status.JUDGED.value,
                             or_(LexSarahInforming.case_id.is_(None), unsettled)))
    return {
        "new": (new, (Case.received_at, Case.id)),
        "protection_missing": (no_protection, (Case.received_at, Case.id)),
        "under_investigation": (investigating, (Case.next_deadline_at, Case.id)),
        "position_proposed": (proposed, (LexSarahPositionProposal.proposed_at, Case.id)),
        "informing_open": (informing_open, (Case.received_at, Case.id)),
        "supplement_due": (supplement, (LexSarahSupplement.due_on, LexSarahSupplement.id)),
        "awaiting_judgment": (awaiting, (Case.received_at, Case.id)),
        "not_notified": (not_notified, (LexSarahJudgment.decided_at, Case.id)),
        "investigation_due": (due, (LexSarahIvo.investigation_due_on, Case.id)),
        "decision_awaited": (awaited, (LexSarahIvo.sent_on, Case.id)),
    }


def desk(actor: User, pages: dict[str, int] | None = None, page_size: int | None = None) -> dict:
    """The four lists of the officer's desk, oldest first, each counted in the database and paged."""
    ensure(actor, Action.VIEW_LEX_SARAH_DESK)
    page_size = page_size or current_app.config["PAGE_SIZE"]
    pages = pages or {}
    today, now = today_local(), utcnow()
    result = {}
    for name, (query, order) in _desk_queries(actor).items():
        count = db.session.scalar(select(func.count()).select_from(query.subquery()))
        last_page = max(1, -(-count // page_size))
        page = min(max(1, pages.get(name, 1)), last_page)
        rows = []
        for case, extra in db.session.execute(query.order_by(*order).limit(page_size)
                                              .offset((page - 1) * page_size)).all():
            row = {"case": case, "judgment": extra if isinstance(extra, LexSarahJudgment) else None,
                   "informing": extra if isinstance(extra, LexSarahInforming) else None,
                   "ivo": extra if isinstance(extra, LexSarahIvo) else None,
                   "proposal": extra if isinstance(extra, LexSarahPositionProposal) else None,
                   "supplement": extra if isinstance(extra, LexSarahSupplement) else None}
            if name == "not_notified":
                row["days_since_judgment"] = (today - to_local(extra.decided_at).date()).days
            if name == "investigation_due":
                row["days_left"] = (extra.investigation_due_on - today).days
            if name == "decision_awaited":
                row["days_since_notice"] = (today - extra.sent_on).days
            if name == "supplement_due":
                row["days_left"] = (extra.due_on - today).days
            if name == "new":
                row["hours_since_filing"] = int((now - case.received_at).total_seconds() // 3600)
            if name == "protection_missing":
                row["protection_due_on"] = protection_due_on(case)
            if name == "under_investigation":
                row["due_at"] = case.next_deadline_at if case.next_deadline_at != NO_DEADLINE else None
            rows.append(row)
        result[name] = {"count": count, "rows": rows, "page": page, "last_page": last_page}
    audit.record("lexsarah.desk_viewed", actor=actor, object_type="desk",
                 detail={name: result[name]["count"] for name in DESK_LISTS})
    db.session.commit()
    return result


def due_investigations(today: date, within_days: int) -> list[tuple[str, date]]:
    """(reference, due date) of every notified case whose investigation is due within `within_days` or late."""
    query = (select(Case.reference, LexSarahIvo.investigation_due_on)
             .join(LexSarahIvo, LexSarahIvo.case_id == Case.id)
             .where(LexSarahIvo.decision == "notified", LexSarahIvo.investigation_sent_on.is_(None),
                    LexSarahIvo.investigation_due_on <= today + timedelta(days=within_days),
                    Case.imported.is_(False))
             .order_by(LexSarahIvo.investigation_due_on, Case.reference))
    return [(reference, due_on) for reference, due_on in db.session.execute(query).all()]



def due_duties(today: date, within_days: int, officer: User | None = None) -> list[tuple[str, str, date]]:
    """(duty, reference, last day) of the officer's deadlines besides the investigation: the
    immediate protection not yet recorded (due the day after the report came in, so every open
    report without it), and IVO's requests for a supplement due within `within_days` or late.
    The same queries as the desk's lists, so the digest and the desk never disagree."""
    queries = _desk_queries(officer)
    protection = queries["protection_missing"][0].with_only_columns(Case.reference, Case.received_at)
    found = [("protection", reference, fixed_due_on(Kind.LEX_SARAH, "protection", received_at))
             for reference, received_at in db.session.execute(protection)]
    supplement = (queries["supplement_due"][0].with_only_columns(Case.reference, LexSarahSupplement.due_on)
                  .where(LexSarahSupplement.due_on <= today + timedelta(days=within_days)))
    found += [("supplement", reference, due_on) for reference, due_on in db.session.execute(supplement)]
    return sorted(found, key=lambda duty: (duty[2], duty[1]))
