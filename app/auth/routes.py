from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services
from app.auth.forms import ChangePasswordForm, LoginForm
from app.auth.guard import public
from app.safe_redirect import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/logga-in", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.start"))
    form = LoginForm()
    if form.validate_on_submit():
        user, error = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user)
            session.permanent = True
            # Only local paths: an open redirect after login would help phishing.
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(error)
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.route("/logga-ut", methods=["POST"])
@login_required
def logout():
    services.end_all_sessions(current_user._get_current_object(), "logout")
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/konto/losenord", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user._get_current_object(), form.current_password.data,
                                     form.new_password.data)
        except services.AccountError as error:
            getattr(form, error.field or "new_password").errors.append(error.message)
        else:
            # The token changed, so this session is renewed; every other session has ended.
            login_user(current_user._get_current_object())
            session.permanent = True
            flash(_("Ditt lösenord är bytt. Du har loggats ut på alla andra enheter."), "success")
            return redirect(url_for("main.start"))
    return render_template("auth/change_password.html", form=form), 422 if form.errors else 200
