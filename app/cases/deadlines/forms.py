"""The forms of deadlines: the admin's settings, and acknowledging a complaint."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField
from wtforms.validators import InputRequired, StopValidation, ValidationError

from app.cases.casework.forms import CaseForm, SwedishDateField
from app.cases.deadlines.services import DEFAULTS, UNIT_LABELS


def field_names(kind: str, step: str) -> tuple[str, str]:
    return f"{kind}__{step}__amount", f"{kind}__{step}__unit"


class DaysField(IntegerField):
    """A whole number of days, with the error in Swedish and what was typed kept."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Ange antalet dagar med siffror, till exempel 14.")) from error


def _in_range(form, field):
    if field.process_errors:
        raise StopValidation()  # unreadable: that message is enough
    if field.data is None or not 1 <= field.data <= 365:
        raise ValidationError(_l("Ange ett antal mellan 1 och 365."))


class _SettingsBase(FlaskForm):
    def values(self) -> dict[tuple[str, str], tuple[int | None, str | None]]:
        result = {}
        for kind, step in DEFAULTS:
            amount, unit = field_names(kind, step)
            result[(kind, step)] = (self[amount].data, self[unit].data)
        return result


def settings_form_class():
    """One amount and one unit per (kind, step); built from DEFAULTS so a new step needs no new form."""
    attributes = {}
    for kind, step in DEFAULTS:
        amount, unit = field_names(kind, step)
        attributes[amount] = DaysField(_l("Antal"), validators=[InputRequired(_l("Ange ett antal dagar.")), _in_range],
                                       render_kw={"inputmode": "numeric"})
        attributes[unit] = SelectField(_l("Räknas i"), choices=list(UNIT_LABELS.items()), validators=[
            InputRequired(_l("Välj kalenderdagar eller arbetsdagar."))])
    return type("DeadlineSettingsForm", (_SettingsBase,), attributes)


class AcknowledgementForm(CaseForm):
    acknowledged_on = SwedishDateField(_l("Datum då bekräftelsen lämnades"), empty_is_error=True, validators=[
        InputRequired(_l("Ange datumet som ÅÅÅÅ-MM-DD."))], description=_l("ÅÅÅÅ-MM-DD"))
    channel = RadioField(_l("Hur lämnades bekräftelsen?"), choices=[
        ("letter", _l("Brev")), ("email", _l("E-post")), ("phone", _l("Telefon")), ("visit", _l("Vid ett möte"))],
        validators=[InputRequired(_l("Välj hur bekräftelsen lämnades."))])

