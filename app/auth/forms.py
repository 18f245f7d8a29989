from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.form_fields import Mandatory


class LoginForm(FlaskForm):
    username = StringField(_l("Användarnamn"), validators=[DataRequired(_l("Ange ditt användarnamn.")),
                                                          Length(max=128)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(_l("Ange ditt lösenord."))],
                             render_kw={"autocomplete": "current-password"})


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Nuvarande lösenord"),
                                     validators=[DataRequired(_l("Ange ditt nuvarande lösenord."))],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(
        _l("Nytt lösenord"),
        validators=[DataRequired(_l("Ange ett nytt lösenord.")),
                    Length(min=12, max=128, message=_l("Lösenordet måste ha 12–128 tecken."))],
        description=_l("Minst 12 tecken. En fras av flera ord är lätt att minnas och svår att gissa."),
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Upprepa det nya lösenordet"),
                            validators=[Mandatory(), EqualTo("new_password", _l("Lösenorden är inte lika."))],
                            render_kw={"autocomplete": "new-password"})


class UnlockForm(FlaskForm):
    """Only the CSRF token: the unlock link's token is in the URL."""
