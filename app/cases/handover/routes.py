"""Hand-overs between kinds: a lex Sarah report handed over as a deviation, a complaint or
deviation escalated to a lex Sarah report (app.cases.handover.services)."""

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.cases.handover import forms as handover_forms
from app.cases.handover import services as handover
from app.cases.pages import MovePage, bp, handle


def _hand_over(actor, reference, form):
    new = handover.hand_over_to_deviation(actor, reference, reason=form.reason.data,
                                          expected_version=form.version.data)
    flash(_("Avvikelsen har diarienummer %(ref)s.", ref=new.reference), "success")
    return new


def _escalate(actor, reference, form):
    new = handover.escalate_to_lex_sarah(actor, reference, lex_sarah_type=form.lex_sarah_type.data,
                                         reason=form.reason.data, expected_version=form.version.data)
    flash(_("Lex Sarah-rapporten har diarienummer %(ref)s. Lex Sarah-ansvariga har fått e-post.",
            ref=new.reference), "success")
    return new


HAND_OVER = MovePage(
    "hand_over_to_deviation", handover_forms.HandOverForm, _l("Överlämna som avvikelse"), _l("Överlämna"),
    _l("Lex Sarah-rapporten är avslutad och överlämnad som avvikelse."), _hand_over,
    intro=_l("En ny avvikelse skapas för samma enhet, med samma beskrivning och kategorier, och kopplas till "
             "rapporten. Lex Sarah-rapporten avslutas och behåller sin bedömning."))
ESCALATE = MovePage(
    "escalate_to_lex_sarah", handover_forms.EscalateForm, _l("Gör en lex Sarah-rapport"),
    _l("Gör lex Sarah-rapporten"), _l("Lex Sarah-rapporten är gjord och kopplad till ärendet."), _escalate,
    intro=_l("En ny lex Sarah-rapport skapas för samma enhet, med samma beskrivning, och kopplas till ärendet. "
             "En avvikelse avslutas; ett klagomål fortsätter tills klaganden har fått svar."))
@bp.route("/<reference>/overlamna-som-avvikelse", methods=["GET", "POST"])
def hand_over(reference: str):
    return handle(reference, HAND_OVER, handover_forms.HandOverForm())


@bp.route("/<reference>/gor-lex-sarah-rapport", methods=["GET", "POST"])
def escalate(reference: str):
    return handle(reference, ESCALATE, handover_forms.EscalateForm())
