from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

ROLE_LABELS = {
    "staff": _l("Medarbetare"),
    "investigator": _l("Utredare"),
    "officer": _l("Lex Sarah-ansvarig"),
    "admin": _l("Administratör"),
    "board": _l("Nämndsekreterare (läser statistiken)"),
}


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    number = int(value)
    if not -(2**31) <= number < 2**31:
        # Past what an id column holds (PostgreSQL's INTEGER: 32 bits) the database would raise (a 500);
        # ParentField turns this into the message next to the field.
        raise ValueError(value)
    return number


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
    units = CheckboxListField(_l("Enheter"), coerce=int)
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


class CategoryForm(FlaskForm):
    name = StringField(_l("Kategori"), validators=[DataRequired(_l("Ange ett namn.")), Length(max=200)])
    active = BooleanField(_l("Används"), default=True)


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    user = StringField(_l("Person"))
    action = StringField(_l("Händelse"))
    object_type = SelectField(_l("Objekt"), choices=[("", _l("Alla")), ("user", _l("Användare")),
                                                     ("unit", _l("Enhet")), ("case", _l("Ärende")),
                                                     ("category", _l("Kategori"))])
    object_id = StringField(_l("Objektets id"))
