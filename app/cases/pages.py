"""The case blueprint and the one way a move's page works: GET shows the move's form, POST
validates it and calls the one service for the move; a refusal is a 409 page, a conflict the
conflict page. Each feature package (casework, investigation, handover, deadlines, queue)
declares its own pages in its routes.py with `MovePage` and `handle`."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import journal_labels, labels
from app.cases.casework import forms, services
from app.cases.deadlines import services as deadlines
from app.cases.handover import services as handover
from app.cases.investigation import forms as record_forms
from app.workflow import MoveRefused

bp = Blueprint("cases", __name__, url_prefix="/arenden")

# What a reporter sees at /arenden/<reference> of their own report: "Mina rapporter"'s page
# (app.intake.routes.reporter_page), set by create_app() so that cases does not import intake.
_reporter_page: Callable | None = None


def register_move_pages(endpoints: dict[str, str]) -> None:
    """Another feature's pages for its moves, offered on the case page (set by create_app)."""
    MOVE_ENDPOINTS.update(endpoints)


def set_reporter_page(render: Callable) -> None:
    global _reporter_page
    _reporter_page = render


def reporter_page(case):
    return _reporter_page(case)

# The page that makes each move. A move without a page here is not offered; later
# work (the investigation record, judgment, hand-overs) adds its own.
MOVE_ENDPOINTS = {
    "assign": "cases.assign",
    "declare_disqualified": "cases.disqualify",
    "set_concerned_staff": "cases.concerned_staff",
    "triage_not_investigate": "cases.triage",
    "close_with_position": "lexsarah.position",
    "record_protection": "lexsarah.protection",
    "record_answer": "cases.answer",
    "give_feedback": "cases.feedback",
    "close": "cases.close",
    "reopen": "cases.reopen",
    "add_entry": "cases.add_entry",
    "record_causes_and_risk": "cases.causes",
    "finish_investigation": "cases.finish_investigation",
    "hand_over_to_deviation": "cases.hand_over",
    "escalate_to_lex_sarah": "cases.escalate",
}


def me():
    return current_user._get_current_object()


@bp.app_context_processor
def case_words():
    return {"case_words": forms, "words": labels, "journal_words": journal_labels, "move_endpoints": MOVE_ENDPOINTS}



@bp.app_context_processor
def record_words():
    return {"record_words": record_forms, "deadline_words": deadlines}


@dataclass(frozen=True)
class MovePage:
    move: str
    form: type
    title: str
    submit: str
    done: str
    perform: Callable  # (actor, reference, form) -> Case
    intro: str = ""


def handle(reference: str, spec: MovePage, form):
    """GET shows the form; POST validates it and calls the one service for the move."""
    if request.method == "POST" and form.validate():
        try:
            spec.perform(me(), reference, form)
        except services.CaseWorkError as error:
            field = getattr(form, error.field, None) if error.field else None
            if field is None:
                return _refused(reference, error.message)
            field.errors = [*field.errors, error.message]
        except services.CaseConflict as conflict:
            return _conflict(reference, spec, form, conflict)
        except MoveRefused as refusal:
            return _refused(reference, refusal_message(spec.move, refusal, reference))
        except services.CaseNotFound:
            abort(404)
        else:
            flash(str(spec.done), "success")
            return redirect(url_for("cases.case", reference=reference))
    try:
        view = services.open_action(me(), reference, spec.move)
    except services.CaseNotFound:
        abort(404)
    except MoveRefused as refusal:
        return _refused(reference, refusal_message(spec.move, refusal, reference))
    except services.CaseWorkError as error:
        return _refused(reference, error.message)
    if form.version.errors:
        abort(400)  # only a hand-made request lacks the version the page put in the form
    if request.method == "GET":
        _set_version(form, view.case.version)
    _fill_choices(form, view)
    status = 422 if form.errors else 200
    return render_template("cases/action.html", case=view.case, form=form, spec=spec,
                           proposed=getattr(view, "proposed", None)), status


def _fill_choices(form, view) -> None:
    fill = getattr(form, "fill_from_case", None)
    if fill is not None:  # choices that depend on the case (app.cases.investigation.forms)
        fill(view.case)
    if isinstance(form, forms.AssignForm):
        form.assignee.choices = [("", _("Välj handläggare"))] + [
            (u.id, f"{u.full_name}{', ' + u.title if u.title else ''}") for u in view.assignees]
        if view.case.assigned_to_id is not None:
            form.assignee.choices.append(("none", _("Ingen handläggare (ta bort tilldelningen)")))
    if isinstance(form, forms.TriageForm):
        form.reason.choices = [(code, forms.REASON_LABELS[code]) for code in view.reasons]


def _set_version(form, version: int) -> None:
    # The hidden field renders what was posted (raw_data) before what is set (data).
    form.version.data = version
    form.version.raw_data = [str(version)]


def refusal_message(move: str, refusal: MoveRefused, reference: str) -> str:
    label = labels.MOVE_LABELS.get(move, move)
    if refusal.code == "unmet_requirements":
        escalated_to = handover.report_made_from(reference) if "not_yet_escalated" in refusal.unmet else None
        own = labels.refusal_for_unmet(refusal.unmet, escalated_to=escalated_to)
        if own is not None:
            return own
        return labels.requirements_message(move, refusal.unmet)
    if refusal.code == "wrong_kind":
        return _("”%(move)s” finns inte för den här typen av ärende.", move=label)
    return _("”%(move)s” går inte när ärendet har status ”%(status)s”.", move=label,
             status=labels.status_label(refusal.status))


def _refused(reference: str, message: str):
    return render_template("cases/refused.html", reference=reference, message=message), 409


def _conflict(reference: str, spec: MovePage, form, conflict: services.CaseConflict):
    """Someone saved first: show the case as it is now and the person's unsaved text,
    with the form ready to send again against the new version if the move still fits."""
    _set_version(form, conflict.case.version)
    _fill_choices(form, services.ActionView(case=conflict.case, assignees=services.assignable_people(conflict.case),
                                            reasons=services.not_investigate_reasons(conflict.case.kind)))
    return render_template("cases/conflict.html", case=conflict.case, form=form, spec=spec,
                           still_possible=conflict.still_possible), 409


