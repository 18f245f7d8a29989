from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app import audit_labels
from app.admin import services as admin_services
from app.admin.forms import (
    ROLE_LABELS,
    AuditFilterForm,
    CategoryForm,
    EditUserForm,
    NewUserForm,
    PublicTextForm,
    UnitForm,
)
from app.auth import services as accounts
from app.auth.guard import require
from app.auth.models import User
from app.auth.permissions import Action
from app.cases import categories
from app.cases.models import CASE_KINDS, Category
from app.extensions import db
from app.int_params import db_int, db_int_or_none
from app.labels import KIND_LIST_LABELS
from app.org import services as org
from app.org.models import Unit
from app.public import texts as public_texts
from app.workflow import Kind

bp = Blueprint("admin", __name__, url_prefix="/admin")



def _me() -> User:
    return current_user._get_current_object()


def _unit_choices(units: list[Unit], every_unit: list[Unit]) -> list[tuple[int, str]]:
    # The whole path, not an indented name: a screen reader reads no indentation, and
    # "Mottagning" may exist in two departments.
    labels = org.path_labels(every_unit)
    return [(u.id, labels[u.id] + ("" if u.active else " " + _("(inaktiv)"))) for u in units]


@bp.route("/")
@require(Action.MANAGE_USERS)
def index():
    return redirect(url_for("admin.users"))


# --- users ----------------------------------------------------------------------------

@bp.route("/anvandare")
@require(Action.MANAGE_USERS)
def users():
    query = request.args.get("q", "").strip()
    unit_id = request.args.get("enhet", type=db_int)
    return render_template("admin/users.html", users=admin_services.list_users(_me(), text=query, unit_id=unit_id),
                           q=query, unit_id=unit_id, role_labels=ROLE_LABELS,
                           unit_labels=org.path_labels(org.tree()))


def _user_form(user: User | None) -> NewUserForm:
    form_class = EditUserForm if user else NewUserForm
    form = form_class(obj=user) if request.method == "GET" and user else form_class()
    every_unit = org.tree()
    form.units.choices = _unit_choices(every_unit, every_unit)
    if request.method == "GET" and user:
        form.units.data = sorted(user.unit_ids)
    return form


@bp.route("/anvandare/ny", methods=["GET", "POST"])
@require(Action.MANAGE_USERS)
def new_user():
    form = _user_form(None)
    if form.validate_on_submit():
        try:
            user = accounts.create_user(_me(), username=form.username.data, full_name=form.full_name.data,
                                        role=form.role.data, password=form.password.data,
                                        email=form.email.data or "", title=form.title.data or "",
                                        unit_ids=form.units.data or [])
        except accounts.AccountError as error:
            getattr(form, error.field or "username").errors.append(error.message)
        else:
            flash(_("Kontot %(name)s är skapat.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/anvandare/<int:user_id>", methods=["GET", "POST"])
@require(Action.MANAGE_USERS)
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if request.method == "GET":
        admin_services.view_user(_me(), user)
    form = _user_form(user)
    if form.validate_on_submit():
        try:
            if form.password.data:
                # Checked first, so that a refused password leaves the other changes unsaved too.
                accounts.check_password(form.password.data, username=user.username,
                                        full_name=form.full_name.data or "", email=form.email.data or "")
            accounts.update_user(_me(), user, full_name=form.full_name.data, role=form.role.data,
                                 email=form.email.data or "", title=form.title.data or "",
                                 unit_ids=form.units.data or [], active=form.active.data)
            if form.password.data:
                accounts.set_password_by_admin(_me(), user, form.password.data)
                if user.id == current_user.id:
                    # The new token ended every session; renew this one, as the change-password page does.
                    login_user(user)
                    session.permanent = True
        except accounts.AccountError as error:
            getattr(form, error.field or "full_name").errors.append(error.message)
        else:
            flash(_("Ändringarna för %(name)s är sparade.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user), 422 if form.errors else 200


# --- units ----------------------------------------------------------------------------

@bp.route("/enheter")
@require(Action.MANAGE_UNITS)
def units():
    return render_template("admin/units.html", units=org.tree(), members=accounts.member_counts())


def _unit_form(unit: Unit | None) -> UnitForm:
    form = UnitForm(obj=unit) if request.method == "GET" and unit else UnitForm()
    every_unit = org.tree()
    if not every_unit:
        # The first unit of a new installation is the administration itself, at the top.
        form.parent_id.choices = [("", _("— högst upp (förvaltningen) —"))]
        return form
    excluded = unit.path if unit else None
    # Offered: units in use, outside the unit's own subtree (it cannot move in under itself).
    candidates = [u for u in every_unit if (u.active or (unit and u.id == unit.parent_id))
                  and not (excluded and u.path.startswith(excluded))]
    form.parent_id.choices = _unit_choices(candidates, every_unit)
    if request.method == "GET":
        requested = request.args.get("parent", "")
        form.parent_id.data = unit.parent_id if unit else db_int_or_none(requested) or every_unit[0].id
    return form


@bp.route("/enheter/ny", methods=["GET", "POST"])
@require(Action.MANAGE_UNITS)
def new_unit():
    form = _unit_form(None)
    if form.validate_on_submit():
        try:
            unit = org.create_unit(_me(), name=form.name.data, parent_id=form.parent_id.data,
                                   address=form.address.data, public_name=form.public_name.data or "",
                                   public_description=form.public_description.data or "")
        except org.UnitError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            flash(_("Enheten %(name)s är skapad.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=None), 422 if form.errors else 200


@bp.route("/enheter/<int:unit_id>", methods=["GET", "POST"])
@require(Action.MANAGE_UNITS)
def edit_unit(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    form = _unit_form(unit)
    if form.validate_on_submit():
        try:
            # The public words are offered for departments only; a form without them leaves them as they are.
            public = request.form.get("public_name"), request.form.get("public_description")
            org.update_unit(_me(), unit, name=form.name.data, parent_id=form.parent_id.data,
                            address=form.address.data,
                            public_name=None if public[0] is None else form.public_name.data or "",
                            public_description=None if public[1] is None else form.public_description.data or "")
        except org.UnitError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            flash(_("Enheten %(name)s är sparad.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit), 422 if form.errors else 200


@bp.route("/enheter/<int:unit_id>/aktiv", methods=["POST"])
@require(Action.MANAGE_UNITS)
def set_unit_active(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    activate = request.form.get("active") == "1"
    try:
        org.set_unit_active(_me(), unit, activate)
    except org.UnitError as error:
        flash(error.message, "error")
    else:
        flash(_("Enheten %(name)s är aktiverad.", name=unit.name) if activate
              else _("Enheten %(name)s är inaktiverad.", name=unit.name), "success")
    return redirect(url_for("admin.units"))


# --- the texts of the public pages ----------------------------------------------------------

@bp.route("/personuppgifter", methods=["GET", "POST"])
@require(Action.MANAGE_SETTINGS)
def personal_data_text():
    form = PublicTextForm()
    if request.method == "GET":
        form.body.data = public_texts.text_of(public_texts.PERSONAL_DATA)
    elif form.validate_on_submit():
        try:
            public_texts.set_text(_me(), public_texts.PERSONAL_DATA, form.body.data)
        except public_texts.PublicTextError as error:
            form.body.errors.append(error.message)
        else:
            flash(_("Texten om personuppgifter är sparad."), "success")
            return redirect(url_for("admin.personal_data_text"))
    return render_template("admin/public_text.html", form=form), 422 if form.errors else 200


# --- categories -----------------------------------------------------------------------

@bp.route("/kategorier", methods=["GET", "POST"])
@require(Action.MANAGE_CATEGORIES)
def category_lists():
    kind = request.args.get("kind", Kind.DEVIATION)
    if kind not in CASE_KINDS:
        abort(404)
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            category = categories.add_category(_me(), kind, form.name.data)
        except categories.CategoryError as error:
            form.name.errors.append(error.message)
        else:
            flash(_("Kategorin %(name)s är tillagd.", name=category.name), "success")
            return redirect(url_for("admin.category_lists", kind=kind))
    return render_template("admin/categories.html", form=form, kind=kind, kind_labels=KIND_LIST_LABELS,
                           categories=categories.categories_for(kind, include_inactive=True)), \
        422 if form.errors else 200


@bp.route("/kategorier/<int:category_id>", methods=["GET", "POST"])
@require(Action.MANAGE_CATEGORIES)
def edit_category(category_id: int):
    category = db.session.get(Category, category_id) or abort(404)
    form = CategoryForm(obj=category) if request.method == "GET" else CategoryForm()
    if form.validate_on_submit():
        try:
            # The mark is offered on the deviation list only; elsewhere an absent box changes nothing.
            marked = form.describes_abuse.data if category.kind == Kind.DEVIATION or form.describes_abuse.data \
                else None
            categories.update_category(_me(), category, name=form.name.data, active=form.active.data,
                                       describes_abuse=marked)
        except categories.CategoryError as error:
            getattr(form, error.field or "name", form.name).errors.append(error.message)
        else:
            flash(_("Kategorin är sparad."), "success")
            return redirect(url_for("admin.category_lists", kind=category.kind))
    return render_template("admin/category_form.html", form=form, category=category,
                           kind_labels=KIND_LIST_LABELS), 422 if form.errors else 200


# --- audit log and outbox ---------------------------------------------------------------

@bp.route("/logg")
@require(Action.VIEW_AUDIT_LOG)
def audit_log():
    form = AuditFilterForm(request.args)
    form.person.choices = [("", _("Alla")), *admin_services.people_for_filter()]
    texts = {name: (request.args.get(name) or "").strip()
             for name in ("user", "person", "action", "object_type", "object_id", "date_from", "date_to")}
    filters, errors = _audit_filters(texts)
    for name, message in errors.items():
        form[name].errors = [message]
    page = None
    if not errors:
        page = admin_services.audit_page(_me(), filters, before=request.args.get("fore", type=db_int))
    # Only the known filters go on to the next page's link (url_for would take any
    # name, including its own "endpoint" and "_external").
    first_args = {name: value for name, value in texts.items() if value}
    next_args = {**first_args, "fore": page.older_than} if page and page.older_than else None
    return render_template("admin/audit_log.html", form=form, page=page, next_args=next_args,
                           events=page.events if page else [],
                           first_args=first_args if "fore" in request.args else None,
                           object_labels=dict(form.object_type.choices), action_label=audit_labels.label,
                           problem_labels=audit_labels.PROBLEM_LABELS,
                           chain=admin_services.chain_state(_me())), 422 if errors else 200


def _audit_filters(texts: dict[str, str]) -> tuple[admin_services.AuditFilters, dict[str, str]]:
    """The log page's filters from the query string, and a Swedish message per field that is wrong."""
    errors: dict[str, str] = {}
    days = {}
    for name in ("date_from", "date_to"):
        days[name] = admin_services.parse_day(texts[name], last=name == "date_to") if texts[name] else None
        if texts[name] and days[name] is None:
            errors[name] = _("Skriv ett datum som 2026-03-01 (år-månad-dag).")
    if days["date_from"] and days["date_to"] and days["date_to"] < days["date_from"]:
        errors["date_to"] = _("Slutdatumet ligger före startdatumet.")
    person_id = None
    if texts["person"]:
        if texts["person"].isdigit() and len(texts["person"]) < 10:
            person_id = int(texts["person"])
        else:
            errors["person"] = _("Välj en person i listan.")
    filters = admin_services.AuditFilters(person=texts["user"], person_id=person_id, action=texts["action"],
                                          object_type=texts["object_type"], object_id=texts["object_id"],
                                          date_from=days["date_from"], date_to=days["date_to"])
    return filters, errors


@bp.route("/utkorg")
@require(Action.VIEW_OUTBOX)
def outbox():
    return render_template("admin/outbox.html", messages=admin_services.view_outbox(_me()))
