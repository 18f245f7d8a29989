from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user

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
    """For the load balancer and monitoring: two cheap queries and nothing about a person.
    The mail queue's depth (messages waiting) and when `flask remind` last ran (UTC) show a
    stuck mail worker or a cron job that stopped."""
    from app.mailer import queue_depth
    from app.reminders import last_run
    try:
        mail_queue = queue_depth()  # also proves the database answers
        remind_at = last_run("remind")
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        database, mail_queue, remind_at = "unavailable", None, None
        db.session.rollback()
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "degraded", database=database, mail_queue=mail_queue,
                   remind_last_run=remind_at.isoformat(timespec="seconds") + "Z" if remind_at else None), status


@bp.route("/sprak", methods=["POST"])
@public
def set_language():
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
    return redirect(safe_next(request.form.get("next")))
