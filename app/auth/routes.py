from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services, twofactor
from app.auth.forms import ChangePasswordForm, LoginForm, UnlockForm
from app.auth.guard import public
from app.safe_redirect import safe_next

bp = Blueprint("auth", __name__)
# The unlock mail of a login or password change that locked an account leaves after the response.


@bp.route("/logga-in", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.start"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user, error = services.authenticate(form.username.data, form.password.data,
                                                address=request.remote_addr)
        except services.LoginThrottled as refused:
            form.password.errors.append(refused.message)
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(refused.retry_after)}
        if user is not None:
            session.clear()
            if twofactor.is_enrolled(user):
                # The password is right; the session starts only when the code is (twofactor_routes).
                twofactor.mark_pending(user, request.args.get("next"))
                return redirect(url_for("auth.two_factor_login"))
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


@bp.route("/konto/las-upp/<token>", methods=["GET", "POST"])
@public
def unlock(token: str):
    """The link in the "your account is locked" e-mail. The GET only shows a button: mail
    scanners open links, and must not use up the single-use link."""
    form = UnlockForm()
    if request.method == "POST":
        if form.validate_on_submit() and services.unlock_account(token) is not None:
            flash(_("Kontot är upplåst. Du kan logga in nu."), "success")
            return redirect(url_for("auth.login"))
    elif services.unlock_link_is_valid(token):
        return render_template("auth/unlock.html", form=form)
    return render_template("auth/unlock_invalid.html"), 400


# The two-factor pages live in their own module, on this blueprint.
from app.auth import twofactor_routes  # noqa: E402, F401
