"""The forms of actions. Range rules (due date, responsible person, status moves) are the
services' job; the forms read what the person typed, keep it, and say in Swedish what is missing."""


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.actions.labels import RESULT_LONG_LABELS, STATUS_CHOICE_LABELS
from app.actions.queries import SORTS, STATUS_FILTERS
from app.actions.services import MAX_DESCRIPTION, MAX_TEXT
from app.form_fields import SwedishDateField
from app.labels import KIND_LABELS


def int_or_none(value):
    # Never raises: a tampered id becomes "nothing chosen" and gets the ordinary message.
    if isinstance(value, int):
        return value
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _text(value):
    # Browsers send line breaks as CRLF but count them as one character towards maxlength.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


class VersionedForm(FlaskForm):
    """A change to an action carries the version it was loaded with: a colleague's newer
    change makes it a conflict instead of a silent overwrite."""

    # Labelled as WTForms would label it: without a label WTForms asks its own catalogue for the
    # name, which Flask-WTF loads and parses once per request (a third of a millisecond on the case page).
    version = IntegerField("Version", widget=HiddenInput(), validators=[Optional()])


class ActionForm(VersionedForm):
    type_id = SelectField(_l("Typ av åtgärd"), coerce=int_or_none, validate_choice=False,
                          validators=[InputRequired(_l("Välj en typ av åtgärd."))])
    description = TextAreaField(
        _l("Beskrivning"), filters=[_text],
        description=_l("Vad ska göras, och varför? Skriv inga personuppgifter som inte behövs."),
        validators=[DataRequired(_l("Beskriv åtgärden.")),
                    Length(max=MAX_DESCRIPTION, message=_l("Högst %(max)d tecken.", max=MAX_DESCRIPTION))])
    responsible_id = SelectField(_l("Ansvarig"), coerce=int_or_none, validate_choice=False,
                                 description=_l("En aktiv användare på ärendets enhet eller en enhet ovanför."),
                                 validators=[InputRequired(_l("Välj vem som är ansvarig för åtgärden."))])
    due_on = SwedishDateField(_l("Klart senast"), description=_l("ÅÅÅÅ-MM-DD. Inte före ärendets rapportdatum."),
                              validators=[InputRequired(_l("Ange ett slutdatum."))])

    def set_choices(self, types, people, *, current_type=None) -> None:
        options = list(types)
        if current_type is not None and current_type not in options:
            options.append(current_type)
        self.type_id.choices = [("", _l("– välj –")), *type_choices(options)]
        self.responsible_id.choices = [("", _l("– välj –")), *person_choices(people)]


# The choices of the add form, shared by the WTForms form and the add form written out while
# nobody has typed into it (actions/_add_fields.html).
def type_choices(types) -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in types]


def person_choices(people) -> list[tuple[int, str]]:
    return [(u.id, f"{u.full_name}, {u.title}" if u.title else u.full_name) for u in people]


class StatusForm(VersionedForm):
    status = RadioField(_l("Ny status"), validate_choice=False,
                        choices=[(s.value, label) for s, label in STATUS_CHOICE_LABELS.items()],
                        validators=[InputRequired(_l("Välj en status."))])
    completed_on = SwedishDateField(_l("Genomförd den"), description=_l("ÅÅÅÅ-MM-DD. Behövs när åtgärden är "
                                                                         "genomförd."))
    cancel_reason = TextAreaField(_l("Skäl till att åtgärden avbryts"), filters=[_text],
                                  description=_l("Behövs när åtgärden avbryts."),
                                  validators=[Length(max=MAX_TEXT, message=_l("Högst %(max)d tecken.",
                                                                              max=MAX_TEXT))])


class FollowUpForm(VersionedForm):
    result = RadioField(_l("Fick åtgärden avsedd effekt?"), validate_choice=False,
                        choices=[(r.value, label) for r, label in RESULT_LONG_LABELS.items()],
                        validators=[InputRequired(_l("Ange om åtgärden fick avsedd effekt."))])
    text = TextAreaField(_l("Vad visade uppföljningen?"), filters=[_text],
                         validators=[DataRequired(_l("Beskriv vad uppföljningen visade.")),
                                     Length(max=MAX_TEXT, message=_l("Högst %(max)d tecken.", max=MAX_TEXT))])
    followed_up_on = SwedishDateField(_l("Uppföljningens datum"), description=_l("ÅÅÅÅ-MM-DD."),
                                      validators=[InputRequired(_l("Ange datum för uppföljningen."))])


class ActionTypeForm(FlaskForm):
    name = StringField(_l("Åtgärdstyp"), validators=[DataRequired(_l("Ange ett namn.")),
                                                     Length(max=200, message=_l("Högst 200 tecken."))])
    active = BooleanField(_l("Används"), default=True)


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Sök på diarienummer eller beskrivning"), validators=[Length(max=200)])
    status = SelectField(_l("Status"), validate_choice=False, choices=[
        ("open", _l("Alla öppna (planerade och pågående)")), ("planned", _l("Planerad")),
        ("in_progress", _l("Pågår")), ("done", _l("Genomförd")), ("cancelled", _l("Avbruten")),
        ("all", _l("Alla"))])
    type_id = SelectField(_l("Typ av åtgärd"), coerce=int_or_none, validate_choice=False)
    unit_id = SelectField(_l("Enhet"), coerce=int_or_none, validate_choice=False)
    kind = SelectField(_l("Ärendetyp"), validate_choice=False, choices=[("", _l("Alla ärendetyper")),
                                                                        *KIND_LABELS.items()])
    only_mine = BooleanField(_l("Bara de jag är ansvarig för"))
    sort = SelectField(_l("Sortering"), validate_choice=False, choices=[
        ("due", _l("Slutdatum, närmast först")), ("due_desc", _l("Slutdatum, senast först")),
        ("newest", _l("Tillagd, nyast först")), ("oldest", _l("Tillagd, äldst först"))])

    def cleaned(self) -> dict:
        """The filters, with anything unknown dropped rather than an error: a bad link shows the whole list."""
        return {
            "q": (self.q.data or "").strip()[:200],
            "status": self.status.data if self.status.data in STATUS_FILTERS else "open",
            "type_id": self.type_id.data,
            "unit_id": self.unit_id.data,
            "kind": self.kind.data if self.kind.data in KIND_LABELS else "",
            "only_mine": bool(self.only_mine.data),
            "sort": self.sort.data if self.sort.data in SORTS else "due",
        }
