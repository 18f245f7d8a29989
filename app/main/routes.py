from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import text

from app.auth.guard import public
from app.extensions import db
from app.main import services
from app.safe_redirect import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
def start():
    return render_template("main/start.html", **services.start_page(current_user._get_current_object()))


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        database = "unavailable"
        db.session.rollback()
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "degraded", database=database), status


@bp.route("/sprak", methods=["POST"])
@public
def set_language():
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
    return redirect(safe_next(request.form.get("next")))
