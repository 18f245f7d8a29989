"""The investigation record's pages: entries, causes, risk, similar cases, finishing."""

from flask import request
from flask_babel import lazy_gettext as _l

from app.cases.casework import forms
from app.cases.investigation import forms as record_forms
from app.cases.investigation import services as investigation
from app.cases.pages import MovePage, bp, handle
from app.clock import today_local


def _add_entry(actor, reference, form):
    section = form.section.data if "section" in form else None
    return investigation.add_entry(actor, reference, section=section or None, entry_date=form.entry_date.data,
                                   source=form.source.data, nature=form.nature.data, text=form.text.data,
                                   corrects_id=form.corrects.data, expected_version=form.version.data)


ADD_ENTRY = MovePage("add_entry", record_forms.EntryForm, _l("Dokumentera i utredningen"), _l("Spara anteckningen"),
                  _l("Anteckningen är sparad."), _add_entry,
                  intro=_l("Namn, titel och tidpunkt sparas automatiskt. En sparad anteckning kan inte ändras; "
                           "blir något fel skriver du en ny anteckning som rättar den."))
CAUSES = MovePage(
    "record_causes_and_risk", record_forms.CausesForm, _l("Orsaker"), _l("Spara orsakerna"),
    _l("Orsakerna är sparade."),
    lambda actor, ref, f: investigation.record_causes(actor, ref, areas=f.areas.data or [], text=f.text.data,
                                                      expected_version=f.version.data))
RISK = MovePage(
    "record_causes_and_risk", record_forms.RiskForm, _l("Risk att det händer igen"), _l("Spara riskbedömningen"),
    _l("Riskbedömningen är sparad."),
    lambda actor, ref, f: investigation.record_risk(actor, ref, probability=f.probability.data,
                                                    consequence=f.consequence.data, text=f.text.data,
                                                    expected_version=f.version.data),
    intro=_l("Risken är sannolikheten gånger konsekvensen (1–16): 1–2 låg, 3–6 måttlig, 8–9 hög och 12–16 "
             "mycket hög risk."))
LINK = MovePage(
    "link_case", record_forms.LinkForm, _l("Koppla ett liknande ärende"), _l("Koppla ärendet"),
    _l("Ärendena är kopplade till varandra."),
    lambda actor, ref, f: investigation.link_similar_case(actor, ref, other_reference=f.reference.data,
                                                          expected_version=f.version.data),
    intro=_l("Kopplingen visas i båda ärendena, under ”Har något liknande hänt tidigare?”."))
UNLINK = MovePage(
    "link_case", record_forms.LinkForm, _l("Ta bort kopplingen till ett ärende"), _l("Ta bort kopplingen"),
    _l("Kopplingen är borttagen."),
    lambda actor, ref, f: investigation.unlink_similar_case(actor, ref, other_reference=f.reference.data,
                                                            expected_version=f.version.data))
FINISH = MovePage(
    "finish_investigation", record_forms.FinishForm, _l("Slutför utredningen"), _l("Slutför utredningen"),
    _l("Utredningen är slutförd och väntar på lex Sarah-ansvarigas bedömning."),
    lambda actor, ref, f: investigation.finish_investigation(actor, ref, expected_version=f.version.data),
    intro=_l("Utredningen lämnas till lex Sarah-ansvarig för bedömning. Du kan fortfarande lägga till "
             "anteckningar."))


@bp.route("/<reference>/utredning/anteckning", methods=["GET", "POST"])
def add_entry(reference: str):
    form = record_forms.EntryForm()
    if request.method == "GET":
        form.entry_date.data = today_local()
        form.section.data = request.args.get("avsnitt", "")
        form.corrects.data = forms._int_or_none(request.args.get("rattar"))
    return handle(reference, ADD_ENTRY, form)


@bp.route("/<reference>/utredning/orsaker", methods=["GET", "POST"])
def causes(reference: str):
    return handle(reference, CAUSES, record_forms.CausesForm())


@bp.route("/<reference>/utredning/risk", methods=["GET", "POST"])
def risk(reference: str):
    return handle(reference, RISK, record_forms.RiskForm())


@bp.route("/<reference>/utredning/liknande", methods=["GET", "POST"])
def link_case(reference: str):
    return handle(reference, LINK, record_forms.LinkForm())


@bp.route("/<reference>/utredning/liknande/ta-bort", methods=["GET", "POST"])
def unlink_case(reference: str):
    return handle(reference, UNLINK, record_forms.LinkForm())


@bp.route("/<reference>/utredning/slutfor", methods=["GET", "POST"])
def finish_investigation(reference: str):
    return handle(reference, FINISH, record_forms.FinishForm())
