"""The two-factor pages, in the auth blueprint: the code after the password, enrolment,
new recovery codes, and the admin's reset. Thin: app/auth/twofactor.py does the work."""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user

from app.auth import twofactor
from app.auth.guard import is_public_endpoint, public, require
from app.auth.models import User
from app.auth.permissions import Action
from app.auth.routes import bp
from app.auth.twofactor_forms import CurrentCodeForm, LoginCodeForm, ResetTwoFactorForm
from app.extensions import db
from app.safe_redirect import safe_next

# What a person who must enrol first may still reach (besides the public pages).
_WHILE_ENROLLING = frozenset({"auth.two_factor_enrol", "auth.logout", "main.set_language"})


def _me() -> User:
    return current_user._get_current_object()


@bp.before_app_request
def enrolment_first():
    """In production the roles that require two-factor login do nothing else before enrolling."""
    if is_public_endpoint(request.endpoint) or request.endpoint in _WHILE_ENROLLING:
        return None
    if request.path.startswith("/api/") and "_user_id" not in session:
        return None  # an API token an admin made for a program (not a session): no person logs in with it
    if not current_user.is_authenticated or not twofactor.must_enrol(current_user):
        return None
    if request.path.startswith("/api/"):
        abort(403)
    return redirect(url_for("auth.two_factor_enrol"))


@bp.app_template_global("two_factor_enrolled")
def two_factor_enrolled(user: User) -> bool:
    return twofactor.is_enrolled(user)


@bp.route("/logga-in/kod", methods=["GET", "POST"])
@public
def two_factor_login():
    if current_user.is_authenticated:
        return redirect(url_for("main.start"))
    had_marker = twofactor.has_pending_marker()
    user, next_url = twofactor.pending_user()
    if user is None:
        if had_marker:
            flash(_("Det tog för lång tid. Logga in igen."), "info")
        return redirect(url_for("auth.login"))
    form = LoginCodeForm()
    if form.validate_on_submit():
        try:
            method = twofactor.verify_login(user, form.code.data)
        except twofactor.TwoFactorError as error:
            form.code.errors.append(error.message)
        else:
            session.clear()
            login_user(user)
            session.permanent = True
            if method == "recovery_code":
                flash(ngettext("Du loggade in med en reservkod. Du har %(num)d reservkod kvar.",
                               "Du loggade in med en reservkod. Du har %(num)d reservkoder kvar.",
                               twofactor.recovery_codes_left(user)), "info")
            return redirect(safe_next(next_url))
    return render_template("auth/two_factor_login.html", form=form), 422 if form.errors else 200


@bp.route("/konto/tvastegsverifiering")
def two_factor():
    user = _me()
    return render_template("auth/two_factor.html", enrolled=twofactor.is_enrolled(user),
                           required=twofactor.is_required_for(user),
                           codes_left=twofactor.recovery_codes_left(user))


@bp.route("/konto/tvastegsverifiering/aktivera", methods=["GET", "POST"])
def two_factor_enrol():
    user = _me()
    if twofactor.is_enrolled(user):
        flash(_("Tvåstegsverifiering är redan aktiverad för ditt konto."), "info")
        return redirect(url_for("auth.two_factor"))
    secret = twofactor.start_enrolment(user)
    form = CurrentCodeForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.confirm_enrolment(user, form.code.data)
        except twofactor.TwoFactorError as error:
            form.code.errors.append(error.message)
        else:
            # Shown in this response only: the codes are stored hashed and never shown again.
            return render_template("auth/two_factor_codes.html", codes=codes, enrolled_now=True)
    qr = twofactor.qr_code_data_uri(twofactor.provisioning_uri(user, secret))
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return render_template("auth/two_factor_enrol.html", form=form, qr=qr, secret=grouped,
                           required=twofactor.must_enrol(user)), 422 if form.errors else 200


@bp.route("/konto/tvastegsverifiering/reservkoder", methods=["GET", "POST"])
def two_factor_recovery_codes():
    user = _me()
    if not twofactor.is_enrolled(user):
        return redirect(url_for("auth.two_factor"))
    form = CurrentCodeForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.regenerate_recovery_codes(user, form.code.data)
        except twofactor.TwoFactorError as error:
            form.code.errors.append(error.message)
        else:
            return render_template("auth/two_factor_codes.html", codes=codes, enrolled_now=False)
    return render_template("auth/two_factor_new_codes.html", form=form), 422 if form.errors else 200


@bp.route("/admin/anvandare/<int:user_id>/tvastegsverifiering", methods=["POST"])
@require(Action.MANAGE_USERS)
def reset_two_factor(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if not ResetTwoFactorForm().validate_on_submit():
        abort(400)
    twofactor.reset(_me(), user)
    flash(_("Tvåstegsverifieringen för %(name)s är återställd. Personens inloggningar har avslutats.",
            name=user.username), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))
