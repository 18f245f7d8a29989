"""The supervision pages' forms. They read what was typed; app/supervision/services.py decides
whether it is acceptable (the Swedish messages come from there, next to the field)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from app.form_fields import CheckboxListField, Mandatory, SwedishDateField
from app.intake.attachments import ACCEPT
from app.supervision.labels import (
    AUTHORITY_LABELS,
    CHANNEL_LABELS,
    DECISION_LABELS,
    ORIGIN_LABELS,
    PURPOSE_LABELS,
    SUBJECT_LABELS,
)


def _choices(labels, skip=()):
    return [(code, label) for code, label in labels.items() if code not in skip]


class RegisterForm(FlaskForm):
    authority = RadioField(_l("Myndighet"), choices=_choices(AUTHORITY_LABELS), validators=[Mandatory()],
                           validate_choice=False)
    authority_name = StringField(_l("Vilken annan myndighet?"), description=_l("Bara om du valde ”Annan myndighet”."))
    authority_reference = StringField(_l("Myndighetens diarienummer"), validators=[Mandatory()])
    letter_on = SwedishDateField(_l("Datum då brevet kom in"), validators=[Mandatory()],
                                 description=_l("ÅÅÅÅ-MM-DD"))
    subject = RadioField(_l("Vad gäller tillsynen?"), choices=_choices(SUBJECT_LABELS), validators=[Mandatory()],
                         validate_choice=False)
    summary = StringField(_l("Kort beskrivning"), validators=[Mandatory()],
                          description=_l("Till exempel ”Inspektion av HVB Lärkan”."))
    description = TextAreaField(_l("Mer om tillsynen"), render_kw={"rows": 4})
    unit_ids = CheckboxListField(_l("Berörda enheter"), coerce=int, validators=[Mandatory()], validate_choice=False)
    origin = RadioField(_l("Hur inleddes tillsynen?"), choices=_choices(ORIGIN_LABELS), validators=[Mandatory()],
                        validate_choice=False)
    links = StringField(_l("Kopplade ärenden i Värna"),
                        description=_l("Klagomålens eller lex Sarah-rapporternas diarienummer, "
                                       "t.ex. KL-2026-0003, åtskilda med kommatecken."))
    board_reference = StringField(_l("Nämndens diarienummer"))
    client_name = StringField(_l("Den enskildes namn"),
                              description=_l("Bara när tillsynen gäller en enskilds ärende."))
    client_pin = StringField(_l("Den enskildes personnummer"), description=_l("ÅÅÅÅMMDD-NNNN"))
    letter = MultipleFileField(_l("Myndighetens brev"), render_kw={"accept": ACCEPT})


class CaseForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class RequestForm(CaseForm):
    purpose = RadioField(_l("Vad begär myndigheten?"), choices=_choices(PURPOSE_LABELS, skip=("report_back",)),
                         validators=[Mandatory()], validate_choice=False)
    requested_on = SwedishDateField(_l("Brevets datum"), validators=[Mandatory()],
                                    description=_l("ÅÅÅÅ-MM-DD"))
    due_on = SwedishDateField(_l("Sista dag för svar"), validators=[Mandatory()],
                              description=_l("ÅÅÅÅ-MM-DD. Infaller dagen på en lördag, söndag eller helgdag "
                                             "räcker det att svara nästa vardag."))
    text = TextAreaField(_l("Vad begärs?"), render_kw={"rows": 4})


class ExtendForm(CaseForm):
    new_due_on = SwedishDateField(_l("Ny sista dag för svar"), validators=[Mandatory()],
                                  description=_l("ÅÅÅÅ-MM-DD"))
    note = TextAreaField(_l("Anteckning"), render_kw={"rows": 3},
                         description=_l("Till exempel vem på myndigheten som beviljade förlängningen."))


class ReplyForm(CaseForm):
    replied_on = SwedishDateField(_l("Datum då svaret skickades"), validators=[Mandatory()],
                                  description=_l("ÅÅÅÅ-MM-DD"))
    channel = RadioField(_l("Hur skickades svaret?"), choices=_choices(CHANNEL_LABELS), validators=[Mandatory()],
                         validate_choice=False)
    signed_by = StringField(_l("Undertecknat av"), validators=[Mandatory()])
    note = TextAreaField(_l("Anteckning"), render_kw={"rows": 3})
    document = FileField(_l("Svaret som dokument"), render_kw={"accept": ACCEPT})


class DecisionForm(CaseForm):
    decision = RadioField(_l("Myndighetens beslut"), choices=_choices(DECISION_LABELS), validators=[Mandatory()],
                          validate_choice=False)
    with_fine = BooleanField(_l("Föreläggandet är förenat med vite"))
    decided_on = SwedishDateField(_l("Beslutsdatum"), validators=[Mandatory()],
                                  description=_l("ÅÅÅÅ-MM-DD"))
    text = TextAreaField(_l("Vad beslutet säger"), validators=[Mandatory()], render_kw={"rows": 5})
    report_back_on = SwedishDateField(_l("Åtgärderna ska redovisas senast"),
                                      description=_l("ÅÅÅÅ-MM-DD. Bara vid krav på åtgärder eller föreläggande."))
