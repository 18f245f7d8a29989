from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from app.form_fields import CheckboxListField
from app.int_params import db_int

ROLE_LABELS = {
    "staff": _l("Medarbetare"),
    "investigator": _l("Utredare"),
    "officer": _l("Lex Sarah-ansvarig"),
    "admin": _l("Administratör"),
    "board": _l("Nämndsekreterare (läser statistiken)"),
}


def _optional_int(value):
    return db_int(value) if value not in (None, "", "None") else None


class ParentField(SelectField):
    """The parent unit; the service checks the id, this only turns junk into a Swedish message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Välj en överordnad enhet i listan.")) from error


class NewUserForm(FlaskForm):
    username = StringField(_l("Användarnamn"), validators=[
        DataRequired(_l("Ange ett användarnamn.")),
        Length(max=64, message=_l("Användarnamnet får ha högst 64 tecken.")),
        Regexp(r"^[A-Za-z0-9._-]+$",
               message=_l("Använd bara bokstäverna a–z, siffror, punkt, bindestreck och understreck."))],
        render_kw={"autocapitalize": "none", "autocomplete": "off"})
    full_name = StringField(_l("Namn"), validators=[DataRequired(_l("Ange personens namn.")),
                                                     Length(max=200, message=_l("Högst 200 tecken."))])
    title = StringField(_l("Befattning"), validators=[Length(max=200, message=_l("Högst 200 tecken."))],
                        description=_l("Visas vid personens anteckningar i utredningar."))
    email = StringField(_l("E-post"), validators=[Optional(), Email(_l("Ange en giltig e-postadress.")),
                                                   Length(max=254, message=_l("Högst 254 tecken."))])
    role = SelectField(_l("Roll"), choices=list(ROLE_LABELS.items()))
    units = CheckboxListField(_l("Enheter"), coerce=db_int)
    password = PasswordField(_l("Lösenord"), validators=[
        DataRequired(_l("Ange ett första lösenord.")),
        Length(min=12, max=128, message=_l("Lösenordet måste ha 12–128 tecken."))],
        render_kw={"autocomplete": "new-password"})


class EditUserForm(NewUserForm):
    # The username never changes (the audit log refers to it), so the edit form has
    # no such field and its rules cannot block editing an account made earlier.
    username = None
    password = PasswordField(_l("Nytt lösenord"), validators=[
        Optional(), Length(min=12, max=128, message=_l("Lösenordet måste ha 12–128 tecken."))],
        render_kw={"autocomplete": "new-password"})
    active = BooleanField(_l("Kontot är aktivt"), default=True)


class UnitForm(FlaskForm):
    name = StringField(_l("Namn"), validators=[DataRequired(_l("Ange ett namn.")), Length(max=200)])
    parent_id = ParentField(_l("Ligger under"), coerce=_optional_int, validate_choice=False)
    address = StringField(_l("Besöksadress"), validators=[Length(max=300)],
                          description=_l("Används i anmälan till IVO."))
    # Checked by the service (app.org.services), which keeps the text and says what is wrong.
    public_name = StringField(_l("Namn för allmänheten"),
                              description=_l("Visas för avdelningar i formuläret för klagomål. Skriv med ord som "
                                             "invånare känner igen, till exempel ”Barn, unga och familjer”. "
                                             "Tomt: enhetens namn."))
    public_description = TextAreaField(_l("En mening om vad avdelningen gör"),
                                       description=_l("Visas under namnet i formuläret för klagomål. Högst 300 "
                                                      "tecken."), render_kw={"rows": 2})


class PublicTextForm(FlaskForm):
    # Checked by the service (app.public.texts): at most 20 000 characters; empty brings back the default.
    body = TextAreaField(_l("Text"), render_kw={"rows": 24},
                         description=_l("Vanlig text, ingen HTML. Skriv en tom rad mellan stycken. Lämna "
                                        "fältet tomt för att visa standardtexten igen."))


class CategoryForm(FlaskForm):
    name = StringField(_l("Kategori"), validators=[DataRequired(_l("Ange ett namn.")), Length(max=200)])
    active = BooleanField(_l("Används"), default=True)
    describes_abuse = BooleanField(_l("Beskriver övergrepp"))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    user = StringField(_l("Person"))
    person = SelectField(_l("Användare"), coerce=_optional_int, validate_choice=False)
    date_from = StringField(_l("Från och med datum"), render_kw={"inputmode": "numeric", "autocomplete": "off"})
    date_to = StringField(_l("Till och med datum"), render_kw={"inputmode": "numeric", "autocomplete": "off"})
    action = StringField(_l("Händelse"))
    object_type = SelectField(_l("Objekt"), choices=[("", _l("Alla")), ("user", _l("Användare")),
                                                     ("unit", _l("Enhet")), ("case", _l("Ärende")),
                                                     ("category", _l("Kategori")), ("action", _l("Åtgärd")),
                                                     ("attachment", _l("Bilaga"))])
    object_id = StringField(_l("Objektets id"))
