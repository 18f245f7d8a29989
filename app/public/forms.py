from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length, Optional, Regexp, StopValidation

from app.cases.models import COMPLAINT_TYPE, COMPLAINT_TYPES, SUGGESTION_TYPE
from app.form_fields import Mandatory
from app.public.services import DESCRIPTION_MAX, DESCRIPTION_MIN, RELATIONS, WISHES_MAX

RELATION_LABELS = {
    "client": _l("Jag får eller har fått stöd från socialtjänsten"),
    "relative": _l("Jag är anhörig eller närstående"),
    "guardian": _l("Jag är god man, förvaltare eller vårdnadshavare"),
    "other": _l("Annat"),
}
assert set(RELATION_LABELS) == set(RELATIONS)


def _optional_int(value):
    # Never raises: a tampered id becomes "nothing chosen" and gets the ordinary message.
    if isinstance(value, int):
        return value
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _text(value):
    # Browsers send line breaks as CRLF but count them as one character towards maxlength.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _line(value):
    return " ".join(value.split()) if isinstance(value, str) else value


class WhenNamed:
    """Run the given validators only when the person gives their name.

    An anonymous person's contact fields are ignored (and not stored), so a
    mistake in one of them must not stop the complaint.
    """

    def __init__(self, *validators):
        self.validators = validators

    def __call__(self, form, field):
        if form.anonymous.data == "yes":
            raise StopValidation()
        for validator in self.validators:
            validator(form, field)


class ComplaintForm(FlaskForm):
    anonymous = RadioField(
        _l("Vill du lämna ditt namn?"),
        choices=[("no", _l("Ja, jag lämnar mitt namn och hur ni kan nå mig")),
                 ("yes", _l("Nej, jag vill vara anonym. Då kan vi inte skicka något svar till dig."))],
        default="no", validate_choice=False,
        validators=[InputRequired(_l("Välj om du vill lämna ditt namn eller vara anonym.")),
                    AnyOf(["no", "yes"], message=_l("Välj om du vill lämna ditt namn eller vara anonym."))])
    # Marked "(obligatorisk)" (Mandatory): the form asks for a name by default; the hint says an
    # anonymous person leaves it out, and WhenNamed then ignores it.
    name = StringField(_l("Ditt namn"), filters=[_line],
                       validators=[Mandatory(),
                                   WhenNamed(DataRequired(_l("Skriv ditt namn, eller välj att vara anonym.")),
                                             Length(max=200, message=_l("Skriv högst 200 tecken.")))],
                       render_kw={"autocomplete": "name", "maxlength": 200})
    email = EmailField(_l("E-post"), filters=[_line],
                       validators=[WhenNamed(Optional(),
                                             Length(max=254, message=_l("Skriv högst 254 tecken.")),
                                             Email(_l("Skriv e-postadressen så här: namn@exempel.se")))],
                       render_kw={"autocomplete": "email", "maxlength": 254})
    phone = TelField(_l("Telefon"), filters=[_line],
                     validators=[WhenNamed(Optional(),
                                           Length(max=40, message=_l("Skriv högst 40 tecken.")),
                                           Regexp(r"^\+?[0-9 ()-]{6,}$",
                                                  message=_l("Skriv telefonnumret med siffror, "
                                                             "till exempel 070-123 45 67.")))],
                     render_kw={"autocomplete": "tel", "maxlength": 40})
    address = TextAreaField(_l("Postadress"), filters=[_text],
                            validators=[WhenNamed(Optional(),
                                                  Length(max=300, message=_l("Skriv högst 300 tecken.")))],
                            render_kw={"autocomplete": "street-address", "rows": 3, "maxlength": 300})
    answer_wanted = BooleanField(_l("Jag vill ha ett svar"), default=True)

    complaint_type = RadioField(
        _l("Vill du klaga eller lämna en synpunkt?"),
        choices=[(COMPLAINT_TYPE, _l("Klaga – något har inte fungerat som det ska")),
                 (SUGGESTION_TYPE, _l("Lämna en synpunkt – ett förslag eller en åsikt"))],
        default=COMPLAINT_TYPE, validate_choice=False,
        # Optional: a form sent without it (an older page still open) is a complaint, the default.
        validators=[Optional(),
                    AnyOf(list(COMPLAINT_TYPES), message=_l("Välj om du vill klaga eller lämna en synpunkt."))])
    relation = RadioField(
        _l("Vem är du?"), choices=list(RELATION_LABELS.items()), validate_choice=False,
        validators=[InputRequired(_l("Välj det alternativ som stämmer bäst.")),
                    AnyOf(list(RELATIONS), message=_l("Välj det alternativ som stämmer bäst."))])
    department_id = RadioField(
        _l("Vilken del av socialtjänsten gäller det?"), coerce=_optional_int, validate_choice=False,
        validators=[DataRequired(_l("Välj vilken del av socialtjänsten det gäller."))],
        description=_l("Välj det som stämmer bäst. Är du osäker går det bra att gissa – "
                       "vi skickar vidare till rätt person."))
    category_id = SelectField(_l("Vad handlar det mest om?"), coerce=_optional_int, validate_choice=False,
                              description=_l("Frivilligt."))
    description = TextAreaField(
        _l("Berätta vad som hänt"), filters=[_text],
        validators=[DataRequired(_l("Berätta vad som hänt.")),
                    # The numbers written as the staff forms write them ("10 000"); the hint states
                    # the limits before anyone runs into them.
                    Length(min=DESCRIPTION_MIN, max=DESCRIPTION_MAX,
                           message=_l("Skriv minst 20 och högst 10 000 tecken."))],
        description=_l("Skriv med egna ord: vad hände, när och var? Minst 20 och högst 10 000 tecken. "
                       "Skriv inte mer om andra personer än det som behövs."),
        render_kw={"rows": 8, "maxlength": DESCRIPTION_MAX})
    wishes = TextAreaField(
        _l("Vad vill du ska hända?"), filters=[_text],
        validators=[Length(max=WISHES_MAX, message=_l("Skriv högst 5 000 tecken."))],
        description=_l("Frivilligt. Till exempel att något rättas, att du får en förklaring eller att "
                       "det inte händer igen."),
        render_kw={"rows": 4, "maxlength": WISHES_MAX})
    # Honeypot: hidden from people (visually, from screen readers and from the keyboard);
    # a robot that fills every field fills this one too.
    website = StringField(_l("Lämna det här fältet tomt"),
                          render_kw={"tabindex": "-1", "autocomplete": "off"})

    CONTACT_FIELDS = ("name", "email", "phone", "address")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.anonymous.data != "yes" and not self.email.errors and not self.phone.errors \
                and not self.address.errors and not (self.email.data or self.phone.data or self.address.data):
            self.email.errors.append(_l("Ange minst ett sätt att nå dig: e-post, telefon eller postadress."))
            valid = False
        return valid


class StatusForm(FlaskForm):
    reference = StringField(_l("Diarienummer"), filters=[_line],
                            validators=[DataRequired(_l("Skriv diarienumret från ditt kvitto.")),
                                        Length(max=20, message=_l("Diarienumret är för långt."))],
                            description=_l("Till exempel KL-2026-0012."),
                            render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                       "spellcheck": "false", "maxlength": 20})
    code = StringField(_l("Personlig kod"), filters=[_line],
                       validators=[DataRequired(_l("Skriv din personliga kod från kvittot.")),
                                   Length(max=40, message=_l("Koden är för lång."))],
                       description=_l("Tolv tecken, till exempel ABCD-EFGH-JKMN. Stora eller små "
                                      "bokstäver spelar ingen roll."),
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false", "maxlength": 40})
