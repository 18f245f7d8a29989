"""The three staff forms share one set of fields; lex Sarah and complaints add their own.

The forms parse and render; the rules (required fields, lengths, dates, ids
from the lists, personnummer, files) live in services.file_report, so that
every way of filing is held to the same rules and every error is reported at
once, next to its field.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)

from app.cases.models import COMPLAINT_TYPE, SUGGESTION_TYPE
from app.form_fields import CheckboxListField, Mandatory, SwedishDateField
from app.intake.attachments import ACCEPT
from app.workflow import Kind

GENDER_LABELS = {"female": _l("Kvinna"), "male": _l("Man"), "other": _l("Annat"), "unknown": _l("Vet inte")}
AGE_LABELS = {"child": _l("Barn (under 18 år)"), "adult": _l("Vuxen")}
LEX_SARAH_TYPE_LABELS = {
    "misconduct": _l("Ett missförhållande har inträffat"),
    "risk": _l("Det finns en påtaglig risk för ett missförhållande"),
}
CHANNEL_LABELS = {"phone": _l("Telefon"), "letter": _l("Brev"), "email": _l("E-post"),
                  "visit": _l("Besök"), "ivo": _l("Vidarebefordrat från IVO")}
COMPLAINT_TYPE_LABELS = {COMPLAINT_TYPE: _l("Klagomål – något har inte fungerat som det ska"),
                         SUGGESTION_TYPE: _l("Synpunkt – ett förslag eller en åsikt")}
RELATION_LABELS = {"client": _l("Brukaren själv"), "relative": _l("Anhörig"),
                   "guardian": _l("God man, förvaltare eller vårdnadshavare"), "other": _l("Annan"),
                   "anonymous": _l("Vill vara anonym")}


def LenientDateField(*args, **kwargs):
    """Empty is None; unreadable text is passed on as text, and the service, which says
    what is wrong with every field at once, explains it next to the field."""
    return SwedishDateField(*args, pass_text=True, **kwargs)


class LenientTimeField(TimeField):
    def process_formdata(self, valuelist):
        text = " ".join(valuelist or []).strip()
        self.data = None
        if not text:
            return
        for fmt in ("%H:%M", "%H:%M:%S", "%H.%M"):
            try:
                self.data = datetime.strptime(text, fmt).time()
                return
            except ValueError:
                continue
        self.data = text


def _id(value):
    # A tampered id must reach the service unchanged, which answers with a message next to the field.
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


def _choice(value):
    return None if value in (None, "", "None") else str(value)


class ReportForm(FlaskForm):
    """The fields every kind has, in the order a person thinks about them."""

    unit_id = SelectField(_l("Var hände det?"), coerce=_id, validate_choice=False,
                          validators=[Mandatory()],
                          description=_l("Din egen enhet är förvald. Byt om det hände någon annanstans."))
    occurred_on = LenientDateField(_l("Datum när det hände"), validators=[Mandatory()])
    occurred_time = LenientTimeField(_l("Klockslag (om du vet)"))
    description = TextAreaField(_l("Vad hände?"), validators=[Mandatory()],
                                description=_l("Beskriv kort och sakligt vad som hände, vem som berördes och var. "
                                               "Minst 20 och högst 10 000 tecken."),
                                render_kw={"rows": 6, "maxlength": 10000})
    category_ids = CheckboxListField(_l("Vad handlar det om?"), coerce=_id, validate_choice=False,
                                     validators=[Mandatory()], description=_l("Välj en eller flera."),
                                     # "required" on every box would say every box must be ticked.
                                     render_kw={"required": False})

    # "More about the event": optional
    consequences = TextAreaField(_l("Vilka följder fick det, eller kunde det ha fått, för den enskilde?"),
                                 render_kw={"rows": 3})
    immediate_measures = TextAreaField(_l("Vad har redan gjorts?"),
                                       description=_l("Till exempel att den enskilde fick hjälp direkt."),
                                       render_kw={"rows": 3})
    noticed_on = LenientDateField(_l("När upptäcktes det?"),
                                  description=_l("Om det upptäcktes en annan dag än det hände."))
    noticed_how = TextAreaField(_l("Hur upptäcktes det?"), render_kw={"rows": 2})

    # The client concerned: optional and minimal
    client_name = StringField(_l("Namn eller initialer"), render_kw={"autocomplete": "off", "maxlength": 200})
    client_pin = StringField(_l("Personnummer"), description=_l("ÅÅÅÅMMDD-NNNN. Visas bara i sin helhet i ärendet."),
                             render_kw={"autocomplete": "off", "inputmode": "numeric", "maxlength": 15})
    client_gender = RadioField(_l("Kön"), choices=list(GENDER_LABELS.items()), coerce=_choice,
                               validate_choice=False, description=_l("Används bara i statistiken."))
    client_age = RadioField(_l("Barn eller vuxen"), choices=list(AGE_LABELS.items()), coerce=_choice,
                            validate_choice=False)

    attachments = MultipleFileField(_l("Bifoga filer"), render_kw={"accept": ACCEPT, "multiple": True})

    # Jäv: who registers a report made to them is not its reporter (app.intake.services._clean_registration).
    on_behalf = BooleanField(_l("Jag registrerar åt någon annan"),
                             description=_l("Till exempel en muntlig rapport som du skriver ner. Du blir då den "
                                            "som registrerade rapporten, inte den som rapporterade."))
    reporter_user_id = SelectField(_l("Den som rapporterade, om personen finns i Värna"), coerce=_id,
                                   validate_choice=False)
    reporter_name = StringField(_l("Annars: namnet på den som rapporterade"),
                                description=_l("Till exempel en person utanför Värna. Högst 200 tecken."),
                                render_kw={"autocomplete": "off", "maxlength": 200})
    # The staff the report concerns never see or handle it.
    concerned_user_ids = SelectMultipleField(
        _l("Berörd personal"), coerce=_id, validate_choice=False,
        description=_l("Personal som rapporten handlar om. De kan inte se eller handlägga ärendet. "
                       "Håll ner Ctrl (Cmd på Mac) för att välja flera."),
        render_kw={"size": 6})

    # Which fields each optional section holds: the template opens a section that has content or errors.
    SECTIONS = {
        "more": ("consequences", "immediate_measures", "noticed_on", "noticed_how"),
        "client": ("client_name", "client_pin", "client_gender", "client_age"),
        "files": ("attachments",),
        "registration": ("on_behalf", "reporter_user_id", "reporter_name"),
        "concerned": ("concerned_user_ids",),
    }

    def set_options(self, options, today) -> None:
        # Indented like the tree, as on the admin pages.
        self.unit_id.choices = [("", _l("Välj enhet"))] + [(str(i), "\u2003" * depth + name)
                                                          for i, name, depth in options.units]
        self.category_ids.choices = [(str(i), name) for i, name in options.categories]
        people = [(str(i), label) for i, label in options.people]
        if "reporter_user_id" in self._fields:
            self.reporter_user_id.choices = [("", _l("Välj person")), *people]
        self.concerned_user_ids.choices = people
        # The date picker does not offer the future; the service refuses it anyway.
        for date_field in (self.occurred_on, self.noticed_on):
            date_field.render_kw = {**(date_field.render_kw or {}), "max": today.isoformat()}

    def report_data(self) -> dict:
        """Plain values for services.file_report, keyed like the fields."""
        names = [name for name in self._fields if name not in ("csrf_token", "attachments")]
        return {name: self[name].data for name in names}

    def uploads(self) -> list:
        return [f for f in (self.attachments.data or []) if getattr(f, "filename", None)]

    def add_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            field = self._fields.get(name)
            if field is None:
                continue
            # WTForms keeps errors in a tuple until validate() has run on the field.
            field.errors = [*field.errors, *messages]

    def section_open(self, name: str) -> bool:
        return any(self[f].errors or (self[f].data not in (None, "", [], False) and f != "attachments")
                   for f in self.SECTIONS[name] if f in self._fields)


class DeviationForm(ReportForm):
    possible_misconduct = BooleanField(
        _l("Detta kan vara ett missförhållande (lex Sarah)"),
        description=_l("Kryssa i om den enskilde kan ha skadats eller utsatts för fara, till exempel genom "
                       "övergrepp, försummelse eller att en insats inte gavs. Du får då frågan om du vill "
                       "rapportera enligt lex Sarah i stället."))


class LexSarahForm(ReportForm):
    lex_sarah_type = RadioField(_l("Vad gäller rapporten?"), choices=list(LEX_SARAH_TYPE_LABELS.items()),
                                coerce=_choice, validate_choice=False, validators=[Mandatory()])
    bypass_manager = BooleanField(
        _l("Skicka inte rapporten till min närmaste chef"),
        description=_l("Välj detta om din chef är inblandad eller om du av annat skäl inte vill att "
                       "chefen får rapporten. Den går då bara till lex Sarah-ansvarig, och din närmaste "
                       "chef kan inte se den."))
    consequences = TextAreaField(_l("Vilka följder fick det, eller kunde det ha fått, för den enskilde?"),
                                 render_kw={"rows": 3})
    immediate_measures = TextAreaField(_l("Vad har redan gjorts för att skydda den enskilde?"),
                                       render_kw={"rows": 3})


class ComplaintForm(ReportForm):
    on_behalf = BooleanField(_l("Jag registrerar åt någon annan"),
                             description=_l("Kryssa i när klagomålet kom från någon annan än du. Du blir då den "
                                            "som registrerade det, inte den som rapporterade, och kan handlägga "
                                            "det. Klaganden anger du nedan."))
    complaint_type = RadioField(_l("Klagomål eller synpunkt?"), choices=list(COMPLAINT_TYPE_LABELS.items()),
                                coerce=_choice, default=COMPLAINT_TYPE, validate_choice=False)
    channel = RadioField(_l("Hur kom klagomålet in?"), choices=list(CHANNEL_LABELS.items()), coerce=_choice,
                         validate_choice=False, validators=[Mandatory()])
    ivo_reference = StringField(_l("IVO:s diarienummer"), description=_l("Fyll i om IVO skickade klagomålet."),
                                render_kw={"maxlength": 60})
    relation = RadioField(_l("Vem klagar?"), choices=list(RELATION_LABELS.items()), coerce=_choice,
                          validate_choice=False, validators=[Mandatory()])
    complainant_name = StringField(_l("Namn"), render_kw={"autocomplete": "off", "maxlength": 200})
    complainant_email = StringField(_l("E-post"), render_kw={"autocomplete": "off", "type": "email",
                                                              "maxlength": 254})
    complainant_phone = StringField(_l("Telefon"), render_kw={"autocomplete": "off", "type": "tel",
                                                               "maxlength": 40})
    complainant_address = StringField(_l("Postadress"), render_kw={"autocomplete": "off", "maxlength": 300})
    answer_wanted = BooleanField(_l("Personen vill ha svar"), default=True,
                                 description=_l("Ett anonymt klagomål kan inte besvaras."))
    wishes = TextAreaField(_l("Vad vill personen ska hända?"), render_kw={"rows": 3})
    description = TextAreaField(_l("Vad gäller klagomålet?"), validators=[Mandatory()],
                                description=_l("Återge klagomålet sakligt. Minst 20 och högst 10 000 tecken."),
                                render_kw={"rows": 6, "maxlength": 10000})
    occurred_on = LenientDateField(_l("Datum när det hände"), validators=[Mandatory()],
                                   description=_l("Om personen inte vet: dagen klagomålet kom in."))


FORMS = {Kind.DEVIATION: DeviationForm, Kind.LEX_SARAH: LexSarahForm, Kind.COMPLAINT: ComplaintForm}


class AddInformationForm(FlaskForm):
    """The reporter adds to their own report; the service checks the text (app.intake.follow_up)."""

    text = TextAreaField(_l("Det du vill lägga till"), validators=[Mandatory()],
                         description=_l("Till exempel något du kom på efteråt. Den som handlägger rapporten får "
                                        "ett e-postmeddelande om att det finns ny information. Högst 5 000 tecken."),
                         render_kw={"rows": 5, "maxlength": 5000})
