"""The choice of year and department on the statistics page (a GET form: it changes nothing)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from app.form_fields import SwedishDateField
from app.int_params import db_int
from app.workflow import Kind


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


class ChapterTextForm(FlaskForm):
    """The analysis and the improvement work of one section for one year (prefixed by the section)."""

    analysis = TextAreaField(_l("Analys"), render_kw={"rows": 6},
                             description=_l("Till exempel: Vid analys av årets avvikelser framkommer inga tydliga "
                                            "mönster. Skriv inga namn eller personnummer."))
    improvement = TextAreaField(_l("Förbättringsarbete"), render_kw={"rows": 6},
                                description=_l("Vad har gjorts, eller ska göras, utifrån årets ärenden?"))


class AdoptionForm(FlaskForm):
    adopted_by = StringField(_l("Fastställd av"), render_kw={"maxlength": 200},
                             description=_l("Till exempel Socialnämnden."))
    decided_on = SwedishDateField(_l("Beslutsdatum"), render_kw={"placeholder": "ÅÅÅÅ-MM-DD"})
    diary_number = StringField(_l("Diarienummer"), render_kw={"maxlength": 60})


def _year_or_none(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) == 4 else value or None


class DataFromForm(FlaskForm):
    """"Uppgifter finns från och med" per kind: a year, or empty to count from the earliest case."""

    lex_sarah = StringField(_l("Lex Sarah-rapporter"), filters=[_year_or_none], render_kw={"inputmode": "numeric"})
    deviation = StringField(_l("Avvikelser"), filters=[_year_or_none], render_kw={"inputmode": "numeric"})
    complaint = StringField(_l("Synpunkter och klagomål"), filters=[_year_or_none],
                            render_kw={"inputmode": "numeric"})
    supervision = StringField(_l("Tillsynsärenden"), filters=[_year_or_none], render_kw={"inputmode": "numeric"})

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for name in (Kind.LEX_SARAH, Kind.DEVIATION, Kind.COMPLAINT, Kind.SUPERVISION):
            if self[name].data is not None and not isinstance(self[name].data, int):
                self[name].errors = [*self[name].errors, _l("Skriv ett årtal med fyra siffror, till exempel 2016.")]
                ok = False
        return ok
