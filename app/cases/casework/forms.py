"""The forms of case work, and the Swedish words the case pages use.

Every form that changes a case carries the version of the case it was loaded
with (`version`), so that saving over a colleague's newer change becomes a
conflict instead of a silent overwrite.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import HiddenInput, Select
from wtforms.widgets.core import html_params

from app.cases.filing import people_choices
from app.cases.queue.services import ASSIGNED, SORTS
from app.facts import open_action_ids
from app.form_fields import SwedishDateField
from app.int_params import db_int_or_none
from app.labels import KIND_LABELS, STATUS_LABELS

# --- words ------------------------------------------------------------------------------------
# The kinds, statuses and moves are named in app.labels (the case pages read them as words.*).

REASON_LABELS = {
    "not_caused_by_service": _l("Händelsen har inte berott på brister i verksamheten"),
    "not_own_service": _l("Saknar koppling till den egna verksamheten"),
    "already_investigated": _l("Redan utredd i ett annat ärende"),
    # Lex Sarah: the officer's ställningstagande (app/lexsarah/labels.py: POSITION_REASON_LABELS).
    "no_misconduct": _l("Inget missförhållande och ingen påtaglig risk för missförhållande"),
    "health_care": _l("Hälso- och sjukvård: lämnad till MAS (lex Maria)"),
    # Recorded before every lex Sarah report had to be investigated; no longer chosen.
    "not_covered_by_duty": _l("Omfattas inte av rapporteringsskyldigheten enligt lex Sarah"),
}

ANSWER_CHANNEL_LABELS = {
    "letter": _l("Brev"),
    "email": _l("E-post"),
    "phone": _l("Telefon"),
    "visit": _l("Vid ett möte"),
    "web": _l("Bara på uppföljningssidan"),
}

COMPLAINT_CHANNEL_LABELS = {"web": _l("Webbformuläret"), "email": _l("E-post"), "letter": _l("Brev"),
                            "phone": _l("Telefon"), "visit": _l("Besök"), "ivo": _l("Vidarebefordrat från IVO")}
RELATION_LABELS = {"client": _l("Brukaren själv"), "relative": _l("Anhörig"),
                   "guardian": _l("God man, förvaltare eller vårdnadshavare"), "other": _l("Annan"),
                   "anonymous": _l("Anonym")}
GENDER_LABELS = {"female": _l("Kvinna"), "male": _l("Man"), "other": _l("Annat"), "unknown": _l("Vet inte")}
LEX_SARAH_TYPE_LABELS = {"misconduct": _l("Missförhållande"), "risk": _l("Påtaglig risk för missförhållande")}

# --- the queue's filters (GET, changes nothing) -------------------------------------------------

def _int_or_none(value):
    return db_int_or_none(value) if value not in (None, "", "None") else None


class GroupedSelect(Select):
    """A <select> whose choices may be a dict of groups, each an <optgroup>; the group with the
    empty label ("Alla kategorier") stays a plain option before the groups, which WTForms'
    own widget cannot do."""

    def __call__(self, field, **kwargs):
        if not field.has_groups():
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for group, choices in field.iter_groups():
            if group:
                html.append(f"<optgroup {html_params(label=group)}>")
            html += [self.render_option(value, label, selected, **render_kw)
                     for value, label, selected, render_kw in choices]
            if group:
                html.append("</optgroup>")
        html.append("</select>")
        # As WTForms' own Select: html_params and render_option escaped every value and label.
        return Markup("".join(html))  # noqa: S704


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Sök på diarienummer eller sammanfattning"), validators=[Length(max=200)])
    kind = SelectField(_l("Typ"), choices=[("", _l("Alla typer")), *KIND_LABELS.items()], validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False, choices=[
        ("open", _l("Alla öppna")), *STATUS_LABELS.items(), ("all", _l("Alla, även avslutade"))])
    unit = SelectField(_l("Enhet"), coerce=_int_or_none, validate_choice=False)
    category = SelectField(_l("Kategori"), coerce=_int_or_none, validate_choice=False, widget=GroupedSelect())
    assigned = SelectField(_l("Handläggare"), validate_choice=False, choices=[
        ("", _l("Alla")), ("me", _l("Tilldelade mig")), ("none", _l("Utan handläggare"))])
    year = SelectField(_l("År"), coerce=_int_or_none, validate_choice=False)
    overdue = BooleanField(_l("Bara försenade"))
    sort = SelectField(_l("Sortering"), validate_choice=False, choices=[
        ("newest", _l("Inkommen, nyast först")), ("oldest", _l("Inkommen, äldst först")),
        ("deadline", _l("Närmaste tidsfrist"))])

    def cleaned(self) -> dict:
        """The filters, with anything unknown dropped rather than an error: a bad link shows the whole queue."""
        status = self.status.data if self.status.data in {*STATUS_LABELS, "open", "all"} else "open"
        return {
            "q": (self.q.data or "").strip()[:200],
            "kind": self.kind.data if self.kind.data in KIND_LABELS else "",
            "status": status,
            "unit_id": self.unit.data,
            "category_id": self.category.data,
            "assigned": self.assigned.data if self.assigned.data in ASSIGNED else "",
            "year": self.year.data if self.year.data and 1900 < self.year.data < 3000 else None,
            "overdue": bool(self.overdue.data),
            "sort": self.sort.data if self.sort.data in SORTS else "newest",
        }


# --- case work ----------------------------------------------------------------------------------

class CaseForm(FlaskForm):
    """Every form that changes a case: the version it was loaded with travels along."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


def _person_id(value):
    # A tampered id reaches the service unchanged, which answers next to the field.
    number = db_int_or_none(value) if str(value).strip().isdigit() else None
    return number if number is not None else str(value)


def _text(label, message, max_length, **kwargs):
    return TextAreaField(label, validators=[DataRequired(message), Length(max=max_length, message=_l(
        "Texten får ha högst %(max)d tecken.", max=max_length))], **kwargs)


class AssignForm(CaseForm):
    assignee = SelectField(_l("Handläggare"), coerce=_int_or_none, validate_choice=False,
                           description=_l("Utredare för ärendets enhet eller en enhet ovanför. Den som har "
                                          "rapporterat ärendet eller anmält jäv kan inte väljas."))


class AssignToMeForm(CaseForm):
    pass


class DisqualifyForm(CaseForm):
    reason = _text(_l("Varför är du jävig?"), _l("Skriv varför du inte kan handlägga ärendet."), 2000,
                   description=_l("Till exempel att du är närstående till någon som berörs, eller att du själv "
                                  "var inblandad i händelsen."), render_kw={"rows": 4})


class ConcernedStaffForm(CaseForm):
    concerned_user_ids = SelectMultipleField(
        _l("Berörd personal"), coerce=_person_id, validate_choice=False,
        description=_l("Personal som rapporten handlar om. De kan inte se eller handlägga ärendet, och den som "
                       "läggs till tas bort som handläggare. Håll ner Ctrl (Cmd på Mac) för att välja flera."),
        render_kw={"size": 8})

    def fill_from_case(self, case) -> None:
        # Everyone a report can name; the reporter never (they would lose sight of their own report).
        self.concerned_user_ids.choices = [(str(i), label) for i, label in people_choices(None)
                                           if i != case.reporter_id]
        if not self.is_submitted():
            self.concerned_user_ids.data = sorted(case.concerned_user_ids)


class TriageForm(CaseForm):
    decision = RadioField(_l("Beslut"), choices=[("investigate", _l("Inled utredning")),
                                                 ("not_investigate", _l("Inled inte utredning"))],
                          validators=[InputRequired(_l("Välj om en utredning ska inledas."))])
    reason = RadioField(_l("Skäl att inte utreda"), validate_choice=False,
                        description=_l("Krävs när ingen utredning inleds."))
    text = TextAreaField(_l("Motivering"), validators=[Length(max=5000)], render_kw={"rows": 5},
                         description=_l("Krävs när ingen utredning inleds. Skriv vad beslutet grundar sig på."))
    linked_reference = StringField(_l("Diarienummer för ärendet där det redan är utrett"),
                                   validators=[Length(max=20)], description=_l("Till exempel AV-2026-0012."),
                                   render_kw={"autocomplete": "off"})

    def __init__(self, *args, reasons: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [(code, REASON_LABELS[code]) for code in reasons]

    def validate_reason(self, field):
        if self.decision.data == "not_investigate":
            if not field.data:
                raise ValidationError(_l("Välj ett skäl till att ingen utredning inleds."))
            if field.data not in dict(field.choices):
                raise ValidationError(_l("Välj ett av skälen i listan."))

    def validate_text(self, field):
        if self.decision.data == "not_investigate" and not (field.data or "").strip():
            raise ValidationError(_l("Skriv en motivering till beslutet."))

    def validate_linked_reference(self, field):
        if (self.decision.data == "not_investigate" and self.reason.data == "already_investigated"
                and not (field.data or "").strip()):
            raise ValidationError(_l("Ange diarienumret för ärendet där händelsen redan är utredd."))


class AnswerForm(CaseForm):
    text = _text(_l("Svaret till klaganden"), _l("Skriv svaret."), 10000, render_kw={"rows": 10},
                 description=_l("Har klaganden använt webbformuläret visas svaret också på hens uppföljningssida."))
    answered_on = SwedishDateField(_l("Datum då svaret lämnades"), empty_is_error=True,
                            validators=[InputRequired(_l("Ange datumet som ÅÅÅÅ-MM-DD."))],
                            description=_l("ÅÅÅÅ-MM-DD"))
    channel = RadioField(_l("Hur lämnades svaret?"), choices=list(ANSWER_CHANNEL_LABELS.items()),
                         validators=[InputRequired(_l("Välj hur svaret lämnades."))],
                         # Värna mails only that an answer exists (app/cases/complainant_notices.py), never the answer.
                         description=_l("Värna skickar inte svaret, varken med e-post eller brev. Skicka det "
                                        "från kommunens vanliga e-post eller post och registrera här hur och "
                                        "när det lämnades. Har klaganden lämnat en e-postadress i "
                                        "webbformuläret får hen bara ett meddelande om att svaret finns att "
                                        "läsa på uppföljningssidan."))


class FeedbackForm(CaseForm):
    text = _text(_l("Återkoppling till den som rapporterade"), _l("Skriv återkopplingen."), 2000,
                 render_kw={"rows": 5},
                 description=_l("Visas under Mina rapporter för den som rapporterade. Skriv kort vad som har "
                                "gjorts, utan uppgifter om den enskilde."))


class CloseForm(CaseForm):
    summary = _text(_l("Sammanfattning vid avslut"), _l("Skriv en sammanfattning av hur ärendet avslutas."), 5000,
                    render_kw={"rows": 6},
                    description=_l("Vad kom utredningen fram till, och vad har gjorts?"))
    confirm_open_actions = BooleanField(_l("Avsluta ärendet trots att åtgärder är planerade eller pågår"))
    open_actions_reason = TextAreaField(
        _l("Varför avslutas ärendet med öppna åtgärder?"),
        validators=[Length(max=2000, message=_l("Texten får ha högst %(max)d tecken.", max=2000))],
        render_kw={"rows": 3},
        description=_l("Åtgärderna följs upp ändå; skälet skrivs in i ärendets händelser."))

    def fill_from_case(self, case) -> None:
        # Only a case with open actions asks for the confirmation (workflow.EITHER).
        if not open_action_ids(case):
            del self.confirm_open_actions
            del self.open_actions_reason


class ReopenForm(CaseForm):
    reason = _text(_l("Varför öppnas ärendet igen?"), _l("Skriv varför ärendet öppnas igen."), 2000,
                   render_kw={"rows": 4})
