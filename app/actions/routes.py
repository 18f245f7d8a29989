"""Thin handlers for actions: read the request, call one service, render or redirect."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.actions import queries, services, types
from app.actions.forms import (
    ActionForm,
    ActionTypeForm,
    FilterForm,
    FollowUpForm,
    StatusForm,
    person_choices,
    type_choices,
)
from app.actions.labels import ORIGIN_LABELS, RESULT_LABELS, STATUS_LABELS
from app.actions.models import ActionType, CaseAction
from app.actions.workflow import ActionStatus
from app.auth.guard import require
from app.auth.permissions import Action, can
from app.cases import panels
from app.cases.models import Case
from app.clock import today_local
from app.extensions import db
from app.labels import KIND_LABELS
from app.org import services as org
from app.safe_redirect import safe_next

bp = Blueprint("actions", __name__)
ADD_PREFIX = "action"

LIST_TITLES = {
    "mine": _l("Mina åtgärder"),
    "units": _l("Min enhets åtgärder"),
    "overdue": _l("Försenade åtgärder"),
    "follow_up": _l("Åtgärder som väntar på uppföljning"),
}


def _me():
    return current_user._get_current_object()


def _safe_next(default: str) -> str:
    return safe_next(request.form.get("next") or request.args.get("next"), default)


# A service's PermissionDenied is answered by the app-wide handler (app/__init__.py): the 403
# page, nothing of the request stored, and the refusal in the audit log.


# --- template helpers -------------------------------------------------------------------

@bp.app_template_filter("action_status")
def action_status_label(status: str) -> str:
    try:
        return str(STATUS_LABELS[ActionStatus(status)])
    except ValueError:
        return status


@bp.app_context_processor
def action_words():
    return {"action_result_labels": RESULT_LABELS, "action_origin_labels": ORIGIN_LABELS}


# The case page reads the case's actions with the case (Case.actions): the panel shows them, and the
# workflow's fact "no open actions" is counted from them (app/facts.py) rather than read again.
panels.read_with_case("actions", services.ACTIONS_OF_CASE)


def case_panel(user, case: Case, _moves, _args) -> dict:
    """The actions panel on the case page (app.cases.panels; registered in create_app)."""
    return _panel_data(case, None, user)


def _add_form(case: Case, form: ActionForm | None = None) -> ActionForm:
    # Prefixed: the panel sits on the case page beside the case's own forms, and ids must not clash.
    form = form or ActionForm(formdata=None, prefix=ADD_PREFIX)
    form.set_choices(types.offered_action_types(), services.responsible_candidates(case))
    return form


def _blank_add_form(case: Case) -> dict:
    """What actions/_add_fields.html writes out for an add form nobody has typed into: no WTForms
    form is built (nor rendered field by field) for it on every case view."""
    # The CSRF field exactly when Flask-WTF would give the form one.
    return {"prefix": ADD_PREFIX, "max_description": services.MAX_DESCRIPTION,
            "csrf": current_app.config.get("WTF_CSRF_ENABLED", True),
            "types": type_choices(types.offered_action_types()),
            "people": person_choices(services.responsible_candidates(case))}


def _panel_data(case: Case, form: ActionForm | None, user=None) -> dict:
    may_add = can(user or _me(), Action.WORK_CASE, case) and services.case_allows_actions(case)
    actions = services.actions_of_case(case)
    # Counted from the actions read for the panel, not in a second statement.
    return {"actions": actions, "open_count": sum(1 for a in actions if a.is_open),
            "form": _add_form(case, form) if may_add and form is not None else None,
            "add": _blank_add_form(case) if may_add and form is None else None,
            "today": today_local(), "report_date": services.report_date(case)}


# --- lists ------------------------------------------------------------------------------

def _list(scope: str):
    me = _me()
    form = FilterForm(request.args)
    every_unit = org.tree()
    labels = org.path_labels(every_unit)
    form.unit_id.choices = [("", _("Alla enheter"))] + [(u.id, labels[u.id]) for u in every_unit]
    form.type_id.choices = [("", _("Alla typer"))] + [(t.id, t.name) for t in
                                                      types.action_types(include_inactive=True)]
    filters = queries.Filters(**form.cleaned())
    page = services.view_list(me, scope, filters, after=request.args.get("efter"),
                              before=request.args.get("fore"))
    args = {k: v for k, v in request.args.items() if k not in ("efter", "fore")}
    return render_template("actions/list.html", scope=scope, title=LIST_TITLES[scope], form=form, page=page,
                           args=args, counts=queries.counts(me), today=today_local(),
                           follow_up_days=queries.follow_up_days(), kind_labels=KIND_LABELS)


@bp.route("/atgarder")
@require(Action.VIEW_OWN_ACTIONS)
def mine():
    return _list("mine")


@bp.route("/atgarder/enheter")
@require(Action.VIEW_UNIT_ACTIONS)
def units():
    return _list("units")


@bp.route("/atgarder/forsenade")
@require(Action.VIEW_OWN_ACTIONS)
def overdue():
    return _list("overdue")


@bp.route("/atgarder/uppfoljning")
@require(Action.VIEW_OWN_ACTIONS)
def awaiting_follow_up():
    return _list("follow_up")


# --- one action ---------------------------------------------------------------------------
# Each form: validate, call the one command with the version the page was loaded with, and
# render or redirect. A form that could not be sent shows the action again (422) to whoever may
# send it (services.action_for_form); NotFound and PermissionDenied become the app-wide 404 and
# 403 (with its audit entry).

def _render_action(action: CaseAction, *, status_form=None, follow_up_form=None, code: int = 200):
    me = _me()
    status_form = status_form or StatusForm(formdata=None, version=action.version,
                                            completed_on=today_local())
    follow_up_form = follow_up_form or FollowUpForm(formdata=None, version=action.version,
                                                    followed_up_on=today_local())
    may_work = can(me, Action.WORK_CASE, action.case)
    # Only the moves this person may make from here are offered (the action workflow's answer).
    offered = services.offered_statuses(me, action)
    status_form.status.choices = [(v, label) for v, label in status_form.status.choices if v in offered]
    return render_template(
        "actions/show.html", action=action, case=action.case, status_form=status_form,
        follow_up_form=follow_up_form, offered=offered, today=today_local(),
        may_follow_up=services.may_follow_up(me, action),
        may_edit=may_work and action.is_open and services.case_allows_actions(action.case),
        may_view_case=can(me, Action.VIEW_CASE, action.case)), code


@bp.route("/atgarder/<int:action_id>")
def show(action_id: int):
    return _render_action(services.view_action(_me(), action_id))


def _conflict_message() -> str:
    return _("Någon annan har ändrat åtgärden medan du arbetade. Inget sparades. Läs igenom den nya "
             "versionen och gör din ändring igen.")


@bp.route("/atgarder/<int:action_id>/status", methods=["POST"])
def change_status(action_id: int):
    form = StatusForm()
    if form.validate_on_submit():
        try:
            action = services.update_action_status(
                _me(), action_id, form.status.data, completed_on=form.completed_on.data,
                cancel_reason=form.cancel_reason.data or "", expected_version=form.version.data)
        except services.ActionError as error:
            _attach(form, error, "status")
        except services.ActionConflict as conflict:
            flash(_conflict_message(), "error")
            _set_version(form, conflict.action.version)
            return _render_action(conflict.action, status_form=form, code=409)
        else:
            flash(_("Åtgärden är nu: %(status)s.", status=action_status_label(action.status)), "success")
            return redirect(_safe_next(url_for("actions.show", action_id=action.id)))
    action = services.action_for_form(_me(), action_id, *services.STATUS_MOVES)
    return _render_action(action, status_form=form, code=422)


@bp.route("/atgarder/<int:action_id>/uppfoljning", methods=["POST"])
def record_follow_up(action_id: int):
    form = FollowUpForm()
    if form.validate_on_submit():
        try:
            services.record_follow_up(_me(), action_id, result=form.result.data, text=form.text.data,
                                      followed_up_on=form.followed_up_on.data, expected_version=form.version.data)
        except services.ActionError as error:
            _attach(form, error, "result")
        except services.ActionConflict as conflict:
            flash(_conflict_message(), "error")
            _set_version(form, conflict.action.version)
            return _render_action(conflict.action, follow_up_form=form, code=409)
        else:
            flash(_("Uppföljningen är registrerad."), "success")
            return redirect(url_for("actions.show", action_id=action_id))
    action = services.action_for_form(_me(), action_id, "follow_up")
    return _render_action(action, follow_up_form=form, code=422)


def _set_version(form, version: int) -> None:
    """The conflict page keeps what the person typed, with the version they have now read, so
    that sending it again is a change to what they saw (the hidden field renders what was posted)."""
    form.version.data = version
    form.version.raw_data = [str(version)]


def _attach(form, error: services.ActionError, fallback: str) -> None:
    """Put the service's message next to its field (the whole form's message goes to the first field)."""
    db.session.rollback()  # nothing of a refused command is kept, and the page shows the action as stored
    getattr(form, error.field if error.field and hasattr(form, error.field) else fallback).errors.append(
        error.message)


@bp.route("/atgarder/<int:action_id>/andra", methods=["GET", "POST"])
def edit(action_id: int):
    form = ActionForm()
    code = 200
    if form.validate_on_submit():
        try:
            services.update_action(_me(), action_id, type_id=form.type_id.data, description=form.description.data,
                                   responsible_id=form.responsible_id.data, due_on=form.due_on.data,
                                   expected_version=form.version.data)
        except services.ActionError as error:
            _attach(form, error, "description")
        except services.ActionConflict as conflict:
            flash(_conflict_message(), "error")
            _set_version(form, conflict.action.version)
            code = 409
        else:
            flash(_("Åtgärden är sparad."), "success")
            return redirect(url_for("actions.show", action_id=action_id))
    action = services.action_for_form(_me(), action_id, "edit")
    if request.method == "GET":
        form = ActionForm(formdata=None, obj=action)
    form.set_choices(types.action_types(), services.responsible_candidates(action.case), current_type=action.type)
    if form.errors:
        code = 422
    return render_template("actions/edit.html", form=form, action=action, case=action.case,
                           report_date=services.report_date(action.case)), code


# --- the actions of one case --------------------------------------------------------------

def _render_case(case: Case, form: ActionForm | None = None, code: int = 200):
    return render_template("actions/case.html", case=case, panel_data=_panel_data(case, form),
                           kind_labels=KIND_LABELS, next_url=_safe_next("")), code


@bp.route("/arenden/<reference>/atgarder")
def case_actions(reference: str):
    return _render_case(services.view_case_actions(_me(), reference))


@bp.route("/arenden/<reference>/atgarder", methods=["POST"])
def add_action(reference: str):
    form = ActionForm(prefix=ADD_PREFIX)
    if form.validate_on_submit():
        try:
            action = services.add_action(_me(), reference, type_id=form.type_id.data,
                                         description=form.description.data,
                                         responsible_id=form.responsible_id.data, due_on=form.due_on.data)
        except services.ActionError as error:
            _attach(form, error, "description")
        else:
            flash(_("Åtgärden är tillagd: %(type)s, ansvarig %(name)s, klar senast %(date)s.",
                    type=action.type.name, name=action.responsible.full_name,
                    date=action.due_on.isoformat()), "success")
            return redirect(_safe_next(url_for("actions.case_actions", reference=action.case.reference)))
    case = services.case_for_actions(_me(), reference, "add_action")
    return _render_case(case, _add_form(case, form), 422)


# --- the admin's list of action types -------------------------------------------------------

@bp.route("/admin/atgardstyper", methods=["GET", "POST"])
@require(Action.MANAGE_CATEGORIES)
def action_types():
    form = ActionTypeForm()
    if form.validate_on_submit():
        try:
            action_type = types.add_action_type(_me(), form.name.data)
        except types.ActionTypeError as error:
            form.name.errors.append(error.message)
        else:
            flash(_("Åtgärdstypen %(name)s är tillagd.", name=action_type.name), "success")
            return redirect(url_for("actions.action_types"))
    return render_template("actions/types.html", form=form,
                           action_types=types.action_types(include_inactive=True)), 422 if form.errors else 200


@bp.route("/admin/atgardstyper/<int:type_id>", methods=["GET", "POST"])
@require(Action.MANAGE_CATEGORIES)
def edit_action_type(type_id: int):
    action_type = db.session.get(ActionType, type_id) or abort(404)
    form = ActionTypeForm(obj=action_type) if request.method == "GET" else ActionTypeForm()
    if form.validate_on_submit():
        try:
            types.update_action_type(_me(), action_type, name=form.name.data, active=form.active.data)
        except types.ActionTypeError as error:
            form.name.errors.append(error.message)
        else:
            flash(_("Åtgärdstypen är sparad."), "success")
            return redirect(url_for("actions.action_types"))
    return render_template("actions/type_form.html", form=form, action_type=action_type), \
        422 if form.errors else 200
