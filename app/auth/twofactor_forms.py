from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class LoginCodeForm(FlaskForm):
    """The second step of a login: a code from the app, or a recovery code."""

    code = StringField(_l("Kod"), validators=[DataRequired(_l("Ange koden.")), Length(max=64)],
                       description=_l("Sex siffror från din autentiseringsapp, eller en av dina reservkoder."),
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"})


class CurrentCodeForm(FlaskForm):
    """A code from the app (enrolment, new recovery codes)."""

    code = StringField(_l("Kod från appen"), validators=[DataRequired(_l("Ange koden.")), Length(max=64)],
                       description=_l("Sex siffror, som appen visar just nu."),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class ResetTwoFactorForm(FlaskForm):
    """Only the CSRF token: the admin's button."""
