"""The choice of year and department on the statistics page (a GET form: it changes nothing)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from app.int_params import db_int


def _optional_int(value):
    # ValueError for junk and numbers no integer column holds: the field then says "choose one in the list".
    return db_int(value) if value not in (None, "", "None") else None


class ChoiceField(SelectField):
    """A select whose junk value gets a Swedish message instead of WTForms' English one."""

    def __init__(self, *args, junk_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.junk_message = junk_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.junk_message) from error

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(self.junk_message) from error


class StatisticsForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only chooses what to show

    year = ChoiceField(_l("År"), coerce=db_int, validators=[InputRequired(_l("Välj ett år."))],
                       junk_message=_l("Välj ett år i listan."), name="ar")
    department = ChoiceField(_l("Enhet"), coerce=_optional_int, validators=[Optional()],
                             junk_message=_l("Välj en enhet i listan."), name="unit")
