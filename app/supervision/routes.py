"""The supervision pages: register the authority's letter, and the forms for its requests, the
replies, extensions and the decision. Thin: read the form, call one service, render or redirect.
The case itself is shown on the ordinary case page (cases.case), whose supervision panel is
supervision/_case_page.html (app.cases.panels); closing, reopening, assigning and actions are the ordinary pages."""

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import audit, commands, labels
from app.auth.guard import require
from app.auth.permissions import Action, PermissionDenied, can, can_move, may_register_supervision_for
from app.cases.models import Case
from app.cases.pages import refusal_message
from app.clock import today_local
from app.extensions import db
from app.facts import OFFERED_FORM_FACTS, facts_for
from app.org.models import Unit
from app.supervision import forms, queries, services
from app.supervision import labels as words
from app.supervision.deadlines import last_day
from app.workflow import Kind, MoveRefused, next_status

bp = Blueprint("supervision", __name__, url_prefix="/tillsyn")

# The case page offers these moves through the page that makes them (app.cases.pages, set by
# create_app); a reply and an extension belong to one request and are offered in the panel.
MOVE_PAGES = {
    "record_supervision_request": "supervision.add_request",
    "record_supervision_decision": "supervision.decision",
}


def _me():
    return current_user._get_current_object()


@bp.app_context_processor
def supervision_words():
    # Also for the case page and the start page, which include this package's panels.
    return {"supervision_words": words, "supervision_last_day": last_day,
            "supervision_reply_move": services.reply_move, "supervision_today": today_local}


# --- the list: every open supervision case this person sees, nearest deadline first -------

@bp.route("")
@require(Action.VIEW_QUEUE)
def overview():
    rows = queries.open_cases(_me())
    audit.record("supervision.listed", actor=_me(), object_type="case",
                 detail={"references": [row.case.reference for row in rows]})
    db.session.commit()
    return render_template("supervision/overview.html", rows=rows)


# --- registering ------------------------------------------------------------------------------

def _unit_choices(actor):
    """The units this person may register supervision for (an investigator: their own and below)."""
    units = db.session.scalars(db.select(Unit).where(Unit.active).order_by(Unit.path))
    return [(u.id, "\u2003" * u.depth + u.name) for u in units if may_register_supervision_for(actor, u.ancestor_ids)]


@bp.route("/ny", methods=["GET", "POST"])
@require(Action.REGISTER_SUPERVISION)
def register():
    form = forms.RegisterForm()
    form.unit_ids.choices = _unit_choices(_me())
    if request.method == "GET" and request.args.get("ursprung"):
        _prefill_from(form, request.args.get("ursprung", ""), request.args.get("arende", ""))
    if request.method == "POST" and form.validate():
        data = services.Registration(
            authority=form.authority.data or "", authority_name=form.authority_name.data or "",
            authority_reference=form.authority_reference.data or "", letter_on=form.letter_on.data,
            subject=form.subject.data or "", summary=form.summary.data or "", description=form.description.data or "",
            unit_ids=list(form.unit_ids.data or []), origin=form.origin.data or "",
            linked_references=services.parse_references(form.links.data), board_reference=form.board_reference.data
            or "", client_name=form.client_name.data or "", client_pin=form.client_pin.data or "")
        try:
            case = services.register(_me(), data, request.files.getlist("letter"))
        except services.SupervisionError as error:
            _show(form, error.errors)
        else:
            flash(_("Tillsynsärendet %(ref)s är registrerat.", ref=case.reference), "success")
            return redirect(url_for("cases.case", reference=case.reference))
    return render_template("supervision/register.html", form=form), 422 if form.errors else 200


# A reference as the case pages link it (LS-2026-0007): anything else in the link is a bad request.
_REFERENCE = re.compile(r"[A-Z]{2}-\d{4}-\d{4}")


def _prefill_from(form, origin: str, reference: str) -> None:
    """Registering from a complaint or a lex Sarah report (the report's page links here): how it
    started, the report linked, its unit, and IVO for a lex Sarah report. Only a start: the service
    checks everything again, also whether the person may see the linked report."""
    reference = reference.strip().upper()
    if origin not in (Kind.COMPLAINT, Kind.LEX_SARAH) or not _REFERENCE.fullmatch(reference):
        abort(400)
    form.origin.data, form.links.data = origin, reference
    if origin == Kind.LEX_SARAH:
        form.authority.data = "ivo"
    linked = db.session.scalar(db.select(Case).where(Case.reference == reference))
    if linked is not None and can(_me(), Action.VIEW_CASE, linked) and \
            any(unit_id == linked.unit_id for unit_id, _name in form.unit_ids.choices):
        form.unit_ids.data = [linked.unit_id]


def _show(form, errors: dict) -> None:
    for name, message in errors.items():
        target = getattr(form, name, None)
        if target is None:
            target = form.links if name == "links" else None
        if target is None:
            flash(message, "error")
            continue
        target.errors = [*(target.errors or []), message]


# --- the moves on a case ----------------------------------------------------------------------

def _open(reference: str, move: str):
    """The case for a move's form: 404 for no such supervision case, 403 for who may not make
    the move, 409 when it does not fit the case now."""
    try:
        case = commands.load_case(reference)
    except commands.CaseNotFound:
        abort(404)
    if case.kind != Kind.SUPERVISION:
        abort(404)
    if not can_move(_me(), move, case):
        commands.record("case.view_denied", _me(), case, page=move)
        db.session.commit()
        raise PermissionDenied(move)
    next_status(case.kind, case.status, move, {**facts_for(case), **OFFERED_FORM_FACTS})
    return case


def _page(reference: str, move: str, form, perform, *, title, submit, done, supervision_request=None):
    try:
        case = _open(reference, move)
    except MoveRefused as refusal:
        return _refused(reference, move, refusal)
    if request.method == "POST":
        valid = form.validate()
        if form.version.errors:
            abort(400)  # only a hand-made request lacks the version the page put in the form
        if valid:
            try:
                perform(form)
            except services.SupervisionError as error:
                _show(form, error.errors)
            except commands.CaseWorkError as error:
                _show(form, {error.field or "": error.message})
            except commands.CaseConflict as conflict:
                form.version.data = conflict.case.version
                flash(_("Någon annan har ändrat ärendet medan du skrev. Kontrollera uppgifterna och spara igen."),
                      "error")
                return render_template("supervision/move.html", case=conflict.case, form=form, title=title,
                                       submit=submit, supervision_request=supervision_request), 409
            except MoveRefused as refusal:
                return _refused(reference, move, refusal)
            except commands.NotFound:
                abort(404)
            else:
                flash(str(done), "success")
                return redirect(url_for("cases.case", reference=reference))
    else:
        commands.record("case.viewed", _me(), case, page=move)
        db.session.commit()
        form.version.data = case.version
    return render_template("supervision/move.html", case=case, form=form, title=title, submit=submit,
                           supervision_request=supervision_request), 422 if form.errors else 200


def _refused(reference, move, refusal):
    return render_template("cases/refused.html", reference=reference,
                           message=refusal_message(move, refusal, reference)), 409


def _request(reference: str, request_id: int):
    found = db.session.get(services.SupervisionRequest, request_id)
    if found is None or found.case.reference != reference:
        abort(404)
    return found


@bp.route("/<reference>/begaran", methods=["GET", "POST"])
def add_request(reference: str):
    form = forms.RequestForm()
    return _page(reference, "record_supervision_request", form, lambda f: services.record_request(
        _me(), reference, purpose=f.purpose.data or "", requested_on=f.requested_on.data, due_on=f.due_on.data,
        text=f.text.data or "", expected_version=f.version.data),
        title=labels.MOVE_LABELS["record_supervision_request"], submit=_l("Spara begäran"),
        done=_l("Begäran är registrerad."))


@bp.route("/<reference>/begaran/<int:request_id>/forlang", methods=["GET", "POST"])
def extend(reference: str, request_id: int):
    found = _request(reference, request_id)
    form = forms.ExtendForm()
    return _page(reference, "extend_supervision_deadline", form, lambda f: services.extend_deadline(
        _me(), reference, request_id=request_id, new_due_on=f.new_due_on.data, note=f.note.data or "",
        expected_version=f.version.data),
        title=labels.MOVE_LABELS["extend_supervision_deadline"], submit=_l("Spara ny svarstid"),
        done=_l("Den nya svarstiden är registrerad."), supervision_request=found)


@bp.route("/<reference>/begaran/<int:request_id>/svar", methods=["GET", "POST"])
def reply(reference: str, request_id: int):
    found = _request(reference, request_id)
    move = services.reply_move(found)
    form = forms.ReplyForm()
    return _page(reference, move, form, lambda f: services.record_reply(
        _me(), reference, request_id=request_id, replied_on=f.replied_on.data, channel=f.channel.data or "",
        signed_by=f.signed_by.data or "", note=f.note.data or "", files=request.files.getlist("document"),
        expected_version=f.version.data),
        title=labels.MOVE_LABELS[move], submit=_l("Spara svaret"), done=_l("Svaret är registrerat."),
        supervision_request=found)


@bp.route("/<reference>/beslut", methods=["GET", "POST"])
def decision(reference: str):
    form = forms.DecisionForm()
    return _page(reference, "record_supervision_decision", form, lambda f: services.record_decision(
        _me(), reference, decision=f.decision.data or "", decided_on=f.decided_on.data, text=f.text.data or "",
        report_back_on=f.report_back_on.data, with_fine=bool(f.with_fine.data), expected_version=f.version.data),
        title=labels.MOVE_LABELS["record_supervision_decision"], submit=_l("Spara beslutet"),
        done=_l("Beslutet är registrerat."))
