"""The forms of the investigation record, and the Swedish words its pages use.

Every form carries the case version it was loaded with (CaseForm), like all case forms.
Choices that depend on the case (the sections of a lex Sarah record, the entries one can
correct) are filled by `fill_from_case`, which app.cases.pages calls for every move page.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.cases.casework.forms import CaseForm, SwedishDateField, _int_or_none
from app.form_fields import CheckboxListField, Mandatory
from app.workflow import Kind

# SOSFS 2011:5, 5 kap.: the nine items a lex Sarah investigation documents (docs/domain.md, "The investigation").
SECTION_LABELS = {
    "what_happened": _l("1. Vad som har hänt och vilka följder det har fått eller kunde ha fått för den enskilde"),
    "came_to_attention": _l("2. När och hur det uppmärksammades"),
    "when_happened": _l("3. När det inträffade"),
    "causes": _l("4. Vilka orsaker som har identifierats"),
    "happened_before": _l("5. Om något liknande har hänt tidigare, och i så fall varför det har hänt igen"),
    "could_recur": _l("6. Om det kan hända igen"),
    "measures": _l("7. Vilka åtgärder som har vidtagits eller planeras, och när"),
    "other": _l("8. Annat som har kommit fram"),
    "decision": _l("9. Det beslut som utredningen avslutades med"),
}
NATURE_LABELS = {"fact": _l("Fakta"), "assessment": _l("Bedömning")}
CAUSE_AREA_LABELS = {
    "communication": _l("Kommunikation och information"),
    "environment": _l("Miljö och organisation"),
    "processes": _l("Processer, rutiner och riktlinjer"),
    "technology": _l("Teknik och utrustning"),
    "people": _l("Människor, kunskap och kompetens"),
}
PROBABILITY_LABELS = {
    1: _l("1 – Mycket liten: kan hända i sällsynta fall"),
    2: _l("2 – Liten: kan hända någon gång"),
    3: _l("3 – Stor: kan hända då och då"),
    4: _l("4 – Mycket stor: kan hända ofta"),
}
CONSEQUENCE_LABELS = {
    1: _l("1 – Mindre: ingen eller liten påverkan på den enskilde"),
    2: _l("2 – Måttlig: övergående påverkan eller obehag"),
    3: _l("3 – Betydande: bestående men inte allvarlig skada"),
    4: _l("4 – Katastrofal: allvarlig bestående skada eller död"),
}
# Probability × consequence, 1–16, in the bands of the usual Swedish 4 × 4 risk matrix.
RISK_BANDS = ((2, _l("Låg risk")), (6, _l("Måttlig risk")), (9, _l("Hög risk")), (16, _l("Mycket hög risk")))


def risk_band(score: int) -> str:
    return str(next(label for top, label in RISK_BANDS if score <= top))


def _text(label, message, max_length, **kwargs):
    return TextAreaField(label, validators=[DataRequired(message), Length(max=max_length, message=_l(
        "Texten får ha högst %(max)d tecken.", max=max_length))], **kwargs)


class EntryForm(CaseForm):
    # Lex Sarah only (fill_from_case removes it for the other kinds, after validation has run,
    # which is why the service, not a validator here, requires it).
    section = SelectField(_l("Avsnitt i utredningen"), validate_choice=False, validators=[Mandatory()])
    entry_date = SwedishDateField(_l("Datum för uppgiften"), empty_is_error=True, validators=[
        InputRequired(_l("Ange datumet som ÅÅÅÅ-MM-DD."))],
        description=_l("När det som står i anteckningen hände eller kom fram, som ÅÅÅÅ-MM-DD."))
    source = StringField(_l("Källa"), validators=[
        DataRequired(_l("Skriv vem eller vad uppgiften kommer från.")),
        Length(max=300, message=_l("Texten får ha högst %(max)d tecken.", max=300))],
        description=_l("Vem eller vad uppgiften kommer från, till exempel ”samtal med personal på kvällspasset "
                       "2026-03-03” eller ”genomförandeplanen”."))
    nature = RadioField(_l("Fakta eller bedömning?"), choices=list(NATURE_LABELS.items()), validate_choice=False,
                        validators=[InputRequired(_l("Välj om anteckningen är fakta eller en bedömning."))])
    text = _text(_l("Anteckning"), _l("Skriv anteckningen."), 10000, render_kw={"rows": 8},
                 description=_l("En sparad anteckning kan inte ändras. Blir något fel rättar du det med en ny "
                                "anteckning."))
    corrects = SelectField(_l("Rättar anteckning"), coerce=_int_or_none, validate_choice=False,
                           validators=[Optional()],
                           description=_l("Välj en tidigare anteckning om den här rättar den. Den gamla finns "
                                          "kvar och visas som rättad, och rättelsen hamnar i samma avsnitt."))

    def fill_from_case(self, case) -> None:
        from app.cases.investigation import services as investigation
        if case.kind == Kind.LEX_SARAH:
            self.section.choices = [("", _l("Välj avsnitt")), *SECTION_LABELS.items()]
        else:
            del self.section
        entries = investigation.entries_of(case)
        # A plain str, built now with gettext: it carries what the investigator typed, and a lazy
        # string would reach the page unescaped (LazyString.__html__ returns it as markup).
        self.corrects.choices = [("", _("Ingen, det är en ny uppgift"))] + [
            (entry.id, _("Anteckning %(n)d, %(date)s: %(start)s", n=number, date=entry.entry_date.isoformat(),
                         start=_shorten(entry.text)))
            for number, entry in enumerate(entries, start=1)]


def _shorten(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


class CausesForm(CaseForm):
    # Not marked required: on a checkbox list that would mark every box as required.
    areas = CheckboxListField(_l("Orsaksområden"), choices=list(CAUSE_AREA_LABELS.items()), validate_choice=False,
                              description=_l("Välj minst ett område där orsakerna finns."))
    text = _text(_l("Orsakerna"), _l("Beskriv orsakerna."), 10000, render_kw={"rows": 6},
                 description=_l("Vad ledde till det som hände? Beskriv varje orsak och hur den hänger ihop med "
                                "områdena du valt."))


class RiskForm(CaseForm):
    probability = RadioField(_l("Sannolikhet att det händer igen"), coerce=_int_or_none,
                             choices=list(PROBABILITY_LABELS.items()), validate_choice=False,
                             validators=[InputRequired(_l("Välj sannolikheten."))])
    consequence = RadioField(_l("Konsekvens om det händer igen"), coerce=_int_or_none,
                             choices=list(CONSEQUENCE_LABELS.items()), validate_choice=False,
                             validators=[InputRequired(_l("Välj konsekvensen."))])
    text = _text(_l("Motivering"), _l("Motivera riskbedömningen."), 5000, render_kw={"rows": 4})


class LinkForm(CaseForm):
    reference = StringField(_l("Diarienummer för det liknande ärendet"), validators=[
        DataRequired(_l("Ange diarienumret, till exempel AV-2025-0012.")), Length(max=20)],
        description=_l("Till exempel AV-2025-0012."), render_kw={"autocomplete": "off"})


class FinishForm(CaseForm):
    pass
