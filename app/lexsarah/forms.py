"""The lex Sarah forms. They read and re-show what the person typed; the rules live in the
services, which answer with a Swedish message per field (see routes._show_errors)."""


from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField

from app import form_fields
from app.form_fields import Mandatory
from app.lexsarah.labels import (
    ACTIVITY_LABELS,
    ACTIVITY_REGI_LABELS,
    INFORMING_LABELS,
    IVO_OUTCOME_LABELS,
    POSITION_REASON_LABELS,
    SENT_VIA_LABELS,
)
from app.lexsarah.models import INFORMING_ITEMS


def SwedishDateField(*args, **kwargs):
    """A date, or else the text as typed: the service answers with a Swedish message then, together with
    every other message of the form, and the text is shown again for correcting."""
    return form_fields.SwedishDateField(*args, pass_text=True, **kwargs)


def _version(form) -> int | None:
    value = (form.version.data or "").strip()
    return int(value) if value.isdigit() else None


YES_NO = [("yes", _l("Ja")), ("no", _l("Nej"))]


def _yes_no(value) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _yes_no_choice(value) -> str | None:
    """A stored answer (True/False/None) or a submitted one ("yes"/"no") as the radio button's value."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _code_or_blank(value) -> str:
    return "" if value is None else str(value)


def YesNoField(label, **kwargs):
    """A yes/no question that may be left unanswered in a draft; the service reads "yes"/"no"."""
    return RadioField(label, choices=YES_NO, coerce=_yes_no_choice, validate_choice=False, **kwargs)


class JudgmentForm(FlaskForm):
    """The three questions in order, each "no" with its motivation, then the rationale."""

    established = RadioField(
        _l("1. Har utredningen visat ett missförhållande eller en påtaglig risk för ett missförhållande?"),
        choices=[("misconduct", _l("Ja, ett missförhållande")),
                 ("risk", _l("Ja, en påtaglig risk för ett missförhållande")),
                 ("none", _l("Nej"))],
        validate_choice=False, validators=[Mandatory()],
        description=_l("Ett missförhållande är när någon, genom att göra något eller låta bli, har hotat eller "
                       "skadat den enskildes liv, säkerhet eller kroppsliga eller psykiska hälsa. En påtaglig risk "
                       "betyder att det var nära att hända – risken ska vara konkret och verklig, inte bara tänkbar. "
                       "Det som inte beror på verksamheten, eller som hör till någon annans verksamhet, räknas inte."))
    established_motivation = TextAreaField(
        _l("Motivering om svaret är nej"),
        description=_l("Vad i utredningen visar att det inte var ett missförhållande eller en påtaglig risk? "
                       "Rapporten kan lämnas över för att hanteras som en avvikelse."))
    serious_harm = RadioField(
        _l("2. Är missförhållandet eller risken allvarligt?"), choices=YES_NO, validate_choice=False,
        description=_l("Besvaras om svaret på fråga 1 är ja. Väg in hur svårt den enskilde drabbades eller kunde "
                       "ha drabbats, hur länge det pågick, hur många som berördes och om det visar brister i "
                       "verksamheten snarare än ett enstaka misstag. Övergrepp, kränkningar och allvarlig "
                       "försummelse är typiskt allvarliga."))
    serious_harm_motivation = TextAreaField(_l("Motivering om svaret är nej"),
                                            description=_l("Varför är det som hände inte allvarligt?"))
    serious_risk = RadioField(
        _l("3. Fanns det en påtaglig risk för att något allvarligt skulle hända?"), choices=YES_NO,
        validate_choice=False,
        description=_l("Besvaras om svaret på fråga 2 är nej. Även när följderna blev lindriga är händelsen "
                       "allvarlig om den enskilde på ett konkret sätt kunde ha skadats allvarligt, eller om det "
                       "kan hända igen med allvarliga följder. Ett ja betyder att ärendet ska anmälas till IVO "
                       "snarast."))
    serious_risk_motivation = TextAreaField(_l("Motivering om svaret är nej"),
                                            description=_l("Varför fanns det ingen påtaglig risk för något "
                                                           "allvarligt?"))
    rationale = TextAreaField(_l("Sammanfattande motivering"), validators=[Mandatory()],
                              description=_l("Bedömningen med dina egna ord: vad som hände, vad utredningen visar "
                                             "och varför du bedömer det så här."))

    def answers(self) -> dict:
        return {
            "established": self.established.data or None,
            "established_motivation": self.established_motivation.data or "",
            "serious_harm": _yes_no(self.serious_harm.data),
            "serious_harm_motivation": self.serious_harm_motivation.data or "",
            "serious_risk": _yes_no(self.serious_risk.data),
            "serious_risk_motivation": self.serious_risk_motivation.data or "",
            "rationale": self.rationale.data or "",
        }

    def fill(self, answers: dict, rationale: str) -> None:
        """Start from earlier answers (the proposal, or an earlier judgment)."""
        to_radio = {True: "yes", False: "no", None: None}
        self.established.data = answers.get("established")
        self.established_motivation.data = answers.get("established_motivation", "")
        self.serious_harm.data = to_radio[answers.get("serious_harm")]
        self.serious_harm_motivation.data = answers.get("serious_harm_motivation", "")
        self.serious_risk.data = to_radio[answers.get("serious_risk")]
        self.serious_risk_motivation.data = answers.get("serious_risk_motivation", "")
        self.rationale.data = rationale

    version = HiddenField()  # the case's version the page was loaded with

    def version_value(self) -> int | None:
        return _version(self)


class NotificationDraftForm(FlaskForm):
    service_description = StringField(_l("Verksamhet"), validators=[Mandatory()],
                                      description=_l("Vilken verksamhet och insats det gäller, t.ex. "
                                                     "”Boendestöd enligt SoL”."))
    contact_name = StringField(_l("Kontaktperson"), validators=[Mandatory()],
                               description=_l("Den som IVO kan fråga om anmälan."))
    contact_title = StringField(_l("Kontaktpersonens befattning"))
    contact_phone = StringField(_l("Telefon"), description=_l("Telefon eller e-post behövs."),
                                render_kw={"autocomplete": "off", "inputmode": "tel"})
    contact_email = StringField(_l("E-post"), render_kw={"autocomplete": "off", "inputmode": "email"})
    planned_measures = TextAreaField(_l("Åtgärder som planeras"), validators=[Mandatory()],
                                     description=_l("Det som ska göras för att det inte ska hända igen. De "
                                                    "omedelbara åtgärderna hämtas från rapporten."))
    investigation_attached = BooleanField(_l("Utredningen är klar och bifogas anmälan"))
    investigation_expected_on = SwedishDateField(
        _l("Annars: datum då utredningen skickas till IVO"),
        description=_l("Senast två månader efter anmälan. ÅÅÅÅ-MM-DD."))
    include_client_identity = BooleanField(
        _l("Ta med den enskildes namn och personnummer i anmälan"),
        description=_l("Ikryssat när rapporten har uppgifterna. Tas de inte med står det i anmälan varför, och att "
                       "uppgiften lämnas på begäran."))
    client_identity_omitted_reason = TextAreaField(
        _l("Om den enskildes namn och personnummer inte tas med: varför inte"), render_kw={"rows": 3},
        description=_l("Krävs när uppgifterna finns i rapporten men inte tas med i anmälan."))
    seriousness_motivation = TextAreaField(
        _l("Varför missförhållandet eller risken är allvarlig"), render_kw={"rows": 5},
        description=_l("Din motivering till IVO. Förifylld med bedömningens motivering; krävs för att slutföra."))
    activity_kind = SelectField(
        _l("Typ av verksamhet"), validate_choice=False, coerce=_code_or_blank,
        choices=[("", _l("Välj typ av verksamhet")), *ACTIVITY_LABELS.items()],
        description=_l("Enligt SoL eller LSS, som i IVO:s blankett."))
    activity_regi = RadioField(_l("Regi"), choices=list(ACTIVITY_REGI_LABELS.items()), validate_choice=False,
                               coerce=_code_or_blank)
    private_provider_name = StringField(_l("Den enskilda verksamhetens namn"),
                                        description=_l("Krävs för enskild verksamhet."))
    private_provider_org_number = StringField(
        _l("Den enskilda verksamhetens organisationsnummer"), render_kw={"autocomplete": "off", "inputmode": "numeric"},
        description=_l("Krävs för enskild verksamhet. Tio siffror, NNNNNN-NNNN."))
    activity_municipality = StringField(_l("Kommun där verksamheten finns"),
                                        description=_l("Avgör vilken av IVO:s regioner som handlägger anmälan."))
    activity_place = StringField(_l("Verksamhetens namn och adress"),
                                 description=_l("Var det hände, t.ex. boendets eller enhetens namn och adress."))
    police_reported = YesNoField(_l("Har händelsen polisanmälts?"))
    police_reported_on = SwedishDateField(_l("Datum för polisanmälan"), description=_l("Om ja. ÅÅÅÅ-MM-DD."))
    other_authority_reported = YesNoField(_l("Har händelsen anmälts till någon annan myndighet?"))
    other_authority_name = StringField(_l("Vilken myndighet"),
                                       description=_l("Om ja, t.ex. Arbetsmiljöverket eller Socialstyrelsen."))
    other_authority_reported_on = SwedishDateField(_l("Datum för anmälan till den myndigheten"),
                                                   description=_l("Om ja. ÅÅÅÅ-MM-DD."))
    client_informed = YesNoField(_l("Har den enskilde eller en företrädare informerats om anmälan?"))
    client_informed_on = SwedishDateField(_l("Datum då den enskilde eller företrädaren informerades"),
                                          description=_l("Om ja. ÅÅÅÅ-MM-DD."))
    board_reference = StringField(_l("Nämndens diarienummer"), render_kw={"autocomplete": "off"},
                                  description=_l("Numret i nämndens diarium, t.ex. SN 2026/123. Inte Värnas "
                                                 "ärendenummer."))
    signature_place = StringField(_l("Ort vid underskriften"),
                                  description=_l("Datumet blir dagen då anmälan slutförs och signeras."))
    signatory_name = StringField(_l("Undertecknas av"), validators=[Mandatory()])
    signatory_title = StringField(_l("Befattning"))
    version = HiddenField()

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "service_description", "contact_name", "contact_title", "contact_phone", "contact_email",
            "planned_measures", "investigation_attached", "investigation_expected_on", "include_client_identity",
            "signatory_name", "signatory_title", "seriousness_motivation", "activity_kind", "activity_regi",
            "private_provider_name", "private_provider_org_number", "activity_municipality", "activity_place",
            "police_reported", "police_reported_on", "other_authority_reported", "other_authority_name",
            "other_authority_reported_on", "client_informed", "client_informed_on",
            "client_identity_omitted_reason", "board_reference", "signature_place")}

    def version_value(self) -> int | None:
        return _version(self)


class SendForm(FlaskForm):
    sent_via = RadioField(_l("Hur skickades anmälan?"), choices=list(SENT_VIA_LABELS.items()),
                          validate_choice=False, validators=[Mandatory()],
                          description=_l("Anmälan skickas aldrig med e-post."))
    sent_on = SwedishDateField(_l("Datum då den skickades"), validators=[Mandatory()],
                               description=_l("ÅÅÅÅ-MM-DD"))
    ivo_reference = StringField(_l("IVO:s diarienummer (om det redan finns)"),
                                description=_l("Finns i IVO:s bekräftelse, t.ex. 8.5.1-12345/2026. Kan läggas till "
                                               "senare, när IVO har bekräftat anmälan."))
    version = HiddenField()

    def version_value(self) -> int | None:
        return _version(self)


class FinaliseForm(FlaskForm):
    version = HiddenField()

    def version_value(self) -> int | None:
        return _version(self)


class _CaseVersioned(FlaskForm):
    """A form of a command on the case: it carries the case's version the page was loaded with."""

    version = HiddenField()

    def version_value(self) -> int | None:
        return _version(self)


class IvoReferenceForm(_CaseVersioned):
    ivo_reference = StringField(_l("IVO:s diarienummer"), validators=[Mandatory()],
                                description=_l("Finns i IVO:s bekräftelse, t.ex. 8.5.1-12345/2026."))


class SupplementRequestForm(_CaseVersioned):
    requested_on = SwedishDateField(_l("IVO:s begäran kom"), validators=[Mandatory()], description=_l("ÅÅÅÅ-MM-DD"))
    due_on = SwedishDateField(_l("Senast"), validators=[Mandatory()],
                              description=_l("Den sista dag IVO har gett för kompletteringen, ÅÅÅÅ-MM-DD."))
    text = TextAreaField(_l("Vad IVO vill ha in"), validators=[Mandatory()])


class SupplementReplyForm(_CaseVersioned):
    # The open requests (choices set from the case); the service checks the one chosen.
    supplement_id = RadioField(_l("Vilken begäran svarar kompletteringen på?"), choices=[], validate_choice=False,
                               validators=[Mandatory()])
    answered_on = SwedishDateField(_l("Datum då kompletteringen skickades"), validators=[Mandatory()],
                                   description=_l("ÅÅÅÅ-MM-DD"))


class NotNotifyingForm(_CaseVersioned):
    reason = TextAreaField(_l("Varför anmäls det inte?"), validators=[Mandatory()],
                           description=_l("Ett allvarligt missförhållande ska anmälas. Skriv varför det ändå inte "
                                          "görs, så att ställningstagandet kan prövas i efterhand."))


class InvestigationSentForm(_CaseVersioned):
    sent_on = SwedishDateField(_l("Datum då utredningen skickades till IVO"), validators=[Mandatory()],
                               description=_l("ÅÅÅÅ-MM-DD"))


class IvoDecisionForm(_CaseVersioned):
    outcome = RadioField(_l("IVO:s beslut"), choices=list(IVO_OUTCOME_LABELS.items()), validate_choice=False,
                         validators=[Mandatory()])
    decided_on = SwedishDateField(_l("Beslutsdatum"), validators=[Mandatory()], description=_l("ÅÅÅÅ-MM-DD"))
    text = TextAreaField(_l("Vad beslutet säger"), validators=[Mandatory()],
                         description=_l("Sammanfatta beslutet; vid krav på åtgärder, vilka åtgärder IVO kräver."))


class InformingForm(FlaskForm):
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every item has the same "why not" and "not applicable" fields: the error summary names the item.
        for item in INFORMING_ITEMS:
            for suffix, words in (("reason", _("varför inte aktuellt")), ("not_applicable", _("inte aktuellt"))):
                self[f"{item}_{suffix}"].summary_label = _("%(item)s – %(field)s", item=INFORMING_LABELS[item],
                                                          field=words)

    def version_value(self) -> int | None:
        return _version(self)


for _item in INFORMING_ITEMS:
    setattr(InformingForm, f"{_item}_on", SwedishDateField(INFORMING_LABELS[_item], description=_l("ÅÅÅÅ-MM-DD")))
    setattr(InformingForm, f"{_item}_not_applicable", BooleanField(_l("Inte aktuellt")))
    setattr(InformingForm, f"{_item}_reason", StringField(_l("Varför inte aktuellt")))


class PositionForm(FlaskForm):
    """The officer's ställningstagande that closes a short investigation."""

    version = HiddenField()
    reason = RadioField(_l("Skäl"), choices=list(POSITION_REASON_LABELS.items()), validate_choice=False,
                        validators=[Mandatory()])
    text = TextAreaField(_l("Ställningstagande"), validators=[Mandatory()], render_kw={"rows": 6},
                         description=_l("Vad ställningstagandet grundar sig på. Skriv också in det i utredningen "
                                        "under avsnitt 9."))
    linked_reference = StringField(_l("Diarienummer för rapporten där händelsen redan är utredd"),
                                   description=_l("Krävs när händelsen redan är utredd. Till exempel LS-2026-0012."),
                                   render_kw={"autocomplete": "off"})
    passed_to = StringField(_l("Överlämnad till"),
                            description=_l("Krävs när det inte gäller nämndens egen verksamhet: vilken verksamhet "
                                           "eller myndighet ärendet lämnades över till."))
    passed_on = SwedishDateField(_l("Överlämnad till MAS"),
                                 description=_l("Krävs för hälso- och sjukvård (lex Maria): datum, ÅÅÅÅ-MM-DD."))
    # Only when the case has actions planned or in progress (ask_about_open_actions), as closing asks.
    confirm_open_actions = BooleanField(_l("Avsluta ärendet trots att åtgärder är planerade eller pågår"))
    open_actions_reason = TextAreaField(_l("Varför avslutas ärendet med öppna åtgärder?"), render_kw={"rows": 3},
                                        description=_l("Åtgärderna följs upp ändå; skälet skrivs in i ärendets "
                                                       "händelser."))

    def ask_about_open_actions(self, open_actions: bool) -> None:
        if not open_actions:
            del self.confirm_open_actions
            del self.open_actions_reason

    def version_value(self) -> int | None:
        return _version(self)


class DeclineProposalForm(FlaskForm):
    """The officer declines an investigator's proposal of a ställningstagande (prefix "decline")."""

    version = HiddenField()
    reason = TextAreaField(_l("Varför avböjs förslaget?"), validators=[Mandatory()], render_kw={"rows": 3},
                           description=_l("Den som föreslog det får ett e-postmeddelande om att förslaget har "
                                          "avböjts; skälet står i ärendets händelselogg."))

    def version_value(self) -> int | None:
        return _version(self)


class ProtectionForm(FlaskForm):
    """What was done at once to protect the individual."""

    version = HiddenField()
    what = TextAreaField(_l("Vad gjordes för att skydda den enskilde?"), validators=[Mandatory()],
                         render_kw={"rows": 5},
                         description=_l("Till exempel: personalen flyttades från brukaren, sjuksköterskan "
                                        "tillkallades, anhöriga kontaktades."))
    done_on = SwedishDateField(_l("När"), validators=[Mandatory()], description=_l("ÅÅÅÅ-MM-DD"))
    done_by = StringField(_l("Av vem"), validators=[Mandatory()], description=_l("Namn och befattning."))

    def version_value(self) -> int | None:
        return _version(self)


class SectionNoteForm(FlaskForm):
    """An explicit "nothing to record" for one section of the investigation."""

    version = HiddenField()
    reason = TextAreaField(_l("Varför finns det inget att anteckna?"), validators=[Mandatory()],
                           render_kw={"rows": 4},
                           description=_l("Till exempel: ”Inget liknande har hänt tidigare på enheten enligt "
                                          "avvikelser och rapporter sedan 2023.”"))

    def version_value(self) -> int | None:
        return _version(self)


class ProviderSettingsForm(FlaskForm):
    board_name = StringField(_l("Nämndens namn"), validators=[Mandatory()],
                             description=_l("Den nämnd som anmäler, t.ex. ”Socialnämnden i Exempelby kommun”."))
    org_number = StringField(_l("Organisationsnummer"), validators=[Mandatory()],
                             description=_l("Kommunens organisationsnummer, tio siffror."))
    address = StringField(_l("Postadress"), validators=[Mandatory()],
                          description=_l("Nämndens adress, t.ex. ”Box 100, 123 45 Exempelby”."))
    municipality = StringField(_l("Kommun"),
                               description=_l("Föreslås som verksamhetens kommun och som ort vid underskriften i nya "
                                              "anmälningar."))
    contact_name = StringField(_l("Kontaktperson"),
                               description=_l("Föreslås som kontaktperson i nya anmälningar; kan ändras i varje."))
    contact_title = StringField(_l("Befattning"))
    contact_phone = StringField(_l("Telefon"))
    contact_email = StringField(_l("E-post"))
    sol_2025_paragraphs = StringField(
        _l("Paragrafer om lex Sarah i socialtjänstlagen (2025:400)"),
        description=_l("För händelser från 1 juli 2025. Fylls i av en administratör när paragraferna är "
                       "kontrollerade. Tills dess anges lagen utan paragrafer i anmälan."))

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "board_name", "org_number", "address", "municipality", "contact_name", "contact_title", "contact_phone",
            "contact_email", "sol_2025_paragraphs")}
