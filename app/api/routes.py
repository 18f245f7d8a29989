"""The JSON API and the admin's page for API tokens."""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.api import tokens
from app.api.forms import TokenForm
from app.auth.guard import require
from app.auth.models import User
from app.auth.permissions import Action, can
from app.extensions import db
from app.int_params import db_int_or_none
from app.stats import services as stats
from app.stats.services import StatisticsError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
admin_bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-nycklar")


def _json(data, status: int = 200, **headers) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")
    response.headers.update(headers)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(401)
def unauthorized(_error):
    message = _("Logga in eller skicka en API-nyckel (Authorization: Bearer).")
    return _json({"error": "unauthorized", "message": message}, 401, **{"WWW-Authenticate": 'Bearer realm="varna"'})


@bp.errorhandler(403)
def forbidden(_error):
    audit.record_refusal(current_user)
    return _json({"error": "forbidden", "message": _("Du har inte behörighet till detta.")}, 403)


@bp.errorhandler(404)
def not_found(_error):
    return json_error(404)


def json_error(status: int) -> Response:
    """The JSON body of an error under /api/ (create_app's error pages call it for those paths)."""
    if status == 401:
        return unauthorized(None)
    if status == 403:
        return forbidden(None)
    errors = {400: ("bad_request", _("Felaktig begäran")), 404: ("not_found", _("Finns inte.")),
              405: ("method_not_allowed", _("Metoden är inte tillåten här."))}
    error, message = errors.get(status, ("error", _("Något gick fel hos oss")))
    return _json({"error": error, "message": message}, status)


@bp.route("/statistics/<int:year>")
def statistics(year: int):
    """The contract JSON for one year (optionally ?unit=<unit id>, or ?department=<unit id>, its synonym)."""
    if not can(current_user, Action.VIEW_STATISTICS):
        abort(403)
    department = request.args.get("unit", request.args.get("department"))
    if department is not None and db_int_or_none(department) is None:
        return _json({"error": "bad_request", "message": _("unit ska vara id:t för en enhet, ett heltal.")},
                     400)
    try:
        report = stats.view_statistics(current_user._get_current_object(), year,
                                       db_int_or_none(department), shown_as="api")
    except StatisticsError as error:
        return _json({"error": "not_found", "message": error.message}, 404)
    return _json(report.data)


# --- the admin's page --------------------------------------------------------------------------------

def _me() -> User:
    return current_user._get_current_object()


def _form(**kwargs) -> TokenForm:
    form = TokenForm(**kwargs)
    users = db.session.scalars(select(User).where(User.active).order_by(User.full_name))
    form.user_id.choices = [("", _("Välj användare"))] + [(u.id, f"{u.full_name} ({u.username})") for u in users]
    return form


@admin_bp.route("/", methods=["GET", "POST"])
@require(Action.MANAGE_USERS)
def index():
    form = _form()
    new_token, status = None, 200
    if form.validate_on_submit():
        try:
            _row, new_token = tokens.create_token(_me(), user_id=form.user_id.data, name=form.name.data,
                                                  expires_on=form.expires_on.data)
            form = _form(formdata=None)  # an empty form for the next one
        except tokens.TokenError as error:
            form[error.field or "name"].errors.append(error.message)
            status = 422
    elif form.errors:
        status = 422
    return render_template("api/tokens.html", form=form, tokens=tokens.list_tokens(_me()), new_token=new_token,
                           api_example=url_for("api.statistics", year=stats.default_year(), _external=True)), status


@admin_bp.route("/<int:token_id>/aterkalla", methods=["POST"])
@require(Action.MANAGE_USERS)
def revoke(token_id: int):
    try:
        row = tokens.revoke_token(_me(), token_id)
    except tokens.TokenError:
        abort(404)
    flash(_("Nyckeln %(prefix)s… är återkallad.", prefix=row.prefix), "success")
    return redirect(url_for("api_tokens.index"))
