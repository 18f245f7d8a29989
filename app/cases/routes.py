"""The queue, the case page and the pages for each move: thin handlers around app.cases.services."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import labels
from app.auth.guard import require
from app.auth.permissions import Action
from app.cases import deadline_forms, deadlines, forms, handover, handover_forms, investigation, services
from app.cases import investigation_forms as record_forms
from app.cases.models import DECISION_REASONS
from app.cases.queue import QueueFilters
from app.clock import today_local
from app.workflow import MoveRefused

bp = Blueprint("cases", __name__, url_prefix="/arenden")

# The page that makes each move. A move without a page here is not offered; later
# work (the investigation record, judgment, hand-overs) adds its own.
MOVE_ENDPOINTS = {
    "assign": "cases.assign",
    "declare_disqualified": "cases.disqualify",
    "triage_not_investigate": "cases.triage",
    "close_with_position": "lexsarah.position",
    "record_protection": "lexsarah.protection",
    "record_answer": "cases.answer",
    "give_feedback": "cases.feedback",
    "close": "cases.close",
    "reopen": "cases.reopen",
    "add_entry": "cases.add_entry",
    "record_causes_and_risk": "cases.causes",
    "finish_investigation": "cases.finish_investigation",
    "hand_over_to_deviation": "cases.hand_over",
    "escalate_to_lex_sarah": "cases.escalate",
}


def _me():
    return current_user._get_current_object()


@bp.app_context_processor
def case_words():
    return {"case_words": forms, "words": labels, "move_endpoints": MOVE_ENDPOINTS}


# --- the queue ----------------------------------------------------------------------------

@bp.route("")
@require(Action.VIEW_QUEUE)
def queue():
    form = forms.QueueFilterForm(request.args)
    filters = QueueFilters(**form.cleaned())
    view = services.view_queue(_me(), filters, after=request.args.get("efter"), before=request.args.get("fore"))
    form.unit.choices = [("", _("Alla enheter"))] + [(u.id, "\u2003" * u.depth + u.name) for u in view.units]
    # Grouped by kind (an <optgroup> each), so the same name under two kinds is told apart.
    form.category.choices = {"": [("", _("Alla kategorier"))]}
    for c in view.categories:
        form.category.choices.setdefault(str(labels.KIND_LABELS[c.kind]), []).append((c.id, c.name))
    form.year.choices = [("", _("Alla år"))] + [(y, str(y)) for y in view.years]
    args = {k: v for k, v in request.args.items() if k not in ("efter", "fore") and v}
    return render_template("cases/queue.html", form=form, filters=filters, page=view.page, args=args)


# --- the case page ------------------------------------------------------------------------

@bp.route("/<reference>")
def case(reference: str):
    try:
        view = services.view_case(_me(), reference)
    except services.CaseNotFound:
        abort(404)
    if not view.full:
        return render_template("cases/reporter_view.html", case=view.case)
    return render_template("cases/case.html", case=view.case, moves=view.moves, can_take=view.can_take,
                           record=investigation.view_record(_me(), view.case, view.moves,
                                                            with_suggestions=request.args.get("liknande") == "1"),
                           take_form=forms.AssignToMeForm(version=view.case.version),
                           investigate_form=forms.TriageForm(version=view.case.version, decision="investigate"))


# --- the moves ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Move:
    move: str
    form: type
    title: str
    submit: str
    done: str
    perform: Callable  # (actor, reference, form) -> Case
    intro: str = ""


def _handle(reference: str, spec: _Move, form):
    """GET shows the form; POST validates it and calls the one service for the move."""
    if request.method == "POST" and form.validate():
        try:
            spec.perform(_me(), reference, form)
        except services.CaseWorkError as error:
            field = getattr(form, error.field, None) if error.field else None
            if field is None:
                return _refused(reference, error.message)
            field.errors = [*field.errors, error.message]
        except services.CaseConflict as conflict:
            return _conflict(reference, spec, form, conflict)
        except MoveRefused as refusal:
            return _refused(reference, _refusal_message(spec.move, refusal, reference))
        except services.CaseNotFound:
            abort(404)
        else:
            flash(str(spec.done), "success")
            return redirect(url_for("cases.case", reference=reference))
    try:
        view = services.open_action(_me(), reference, spec.move)
    except services.CaseNotFound:
        abort(404)
    except MoveRefused as refusal:
        return _refused(reference, _refusal_message(spec.move, refusal, reference))
    except services.CaseWorkError as error:
        return _refused(reference, error.message)
    if form.version.errors:
        abort(400)  # only a hand-made request lacks the version the page put in the form
    if request.method == "GET":
        _set_version(form, view.case.version)
    _fill_choices(form, view)
    status = 422 if form.errors else 200
    return render_template("cases/action.html", case=view.case, form=form, spec=spec), status


def _fill_choices(form, view) -> None:
    fill = getattr(form, "fill_from_case", None)
    if fill is not None:  # choices that depend on the case (app.cases.investigation_forms)
        fill(view.case)
    if isinstance(form, forms.AssignForm):
        form.assignee.choices = [("", _("Välj handläggare"))] + [
            (u.id, f"{u.full_name}{', ' + u.title if u.title else ''}") for u in view.assignees]
        if view.case.assigned_to_id is not None:
            form.assignee.choices.append(("none", _("Ingen handläggare (ta bort tilldelningen)")))
    if isinstance(form, forms.TriageForm):
        form.reason.choices = [(code, forms.REASON_LABELS[code]) for code in view.reasons]


def _set_version(form, version: int) -> None:
    # The hidden field renders what was posted (raw_data) before what is set (data).
    form.version.data = version
    form.version.raw_data = [str(version)]


def _refusal_message(move: str, refusal: MoveRefused, reference: str) -> str:
    label = labels.MOVE_LABELS.get(move, move)
    if refusal.code == "unmet_requirements":
        escalated_to = handover.report_made_from(reference) if "not_yet_escalated" in refusal.unmet else None
        own = labels.refusal_for_unmet(refusal.unmet, escalated_to=escalated_to)
        if own is not None:
            return own
        return labels.requirements_message(move, refusal.unmet)
    if refusal.code == "wrong_kind":
        return _("”%(move)s” finns inte för den här typen av ärende.", move=label)
    return _("”%(move)s” går inte när ärendet har status ”%(status)s”.", move=label,
             status=labels.status_label(refusal.status))


def _refused(reference: str, message: str):
    return render_template("cases/refused.html", reference=reference, message=message), 409


def _conflict(reference: str, spec: _Move, form, conflict: services.CaseConflict):
    """Someone saved first: show the case as it is now and the person's unsaved text,
    with the form ready to send again against the new version if the move still fits."""
    _set_version(form, conflict.case.version)
    _fill_choices(form, services.ActionView(case=conflict.case, assignees=services.assignable_people(conflict.case),
                                            reasons=services.not_investigate_reasons(conflict.case.kind)))
    return render_template("cases/conflict.html", case=conflict.case, form=form, spec=spec,
                           still_possible=conflict.still_possible), 409


def _assign(actor, reference, form):
    if form.assignee.raw_data == ["none"]:
        return services.assign_case(actor, reference, assignee_id=None, expected_version=form.version.data)
    if form.assignee.data is None:
        raise services.CaseWorkError(_("Välj en handläggare."), "assignee")
    return services.assign_case(actor, reference, assignee_id=form.assignee.data,
                                expected_version=form.version.data)


ASSIGN = _Move("assign", forms.AssignForm, _l("Tilldela handläggare"), _l("Spara"),
               _l("Handläggaren är ändrad."), _assign)
DISQUALIFY = _Move(
    "declare_disqualified", forms.DisqualifyForm, _l("Anmäl jäv"), _l("Anmäl jäv"),
    _l("Ditt jäv är registrerat. Du kan inte längre handlägga ärendet."),
    lambda actor, ref, f: services.declare_disqualified(actor, ref, reason=f.reason.data,
                                                        expected_version=f.version.data),
    intro=_l("Den som är jävig får inte handlägga ärendet. Anmäler du jäv tas du bort som handläggare och kan "
             "inte tilldelas ärendet igen. Anmälan syns i ärendets händelser."))
TRIAGE = _Move(
    "triage_not_investigate", forms.TriageForm, _l("Beslut om utredning"), _l("Spara beslutet"),
    _l("Beslutet är sparat."),
    lambda actor, ref, f: services.decide_triage(actor, ref, decision=f.decision.data, reason=f.reason.data,
                                                 text=f.text.data, linked_reference=f.linked_reference.data,
                                                 expected_version=f.version.data),
    intro=_l("Ett beslut att inte inleda utredning avslutar ärendet. Det kräver ett skäl och en motivering."))
ANSWER = _Move(
    "record_answer", forms.AnswerForm, _l("Registrera svar till klaganden"), _l("Spara svaret"),
    _l("Svaret är registrerat."),
    lambda actor, ref, f: services.record_answer(actor, ref, text=f.text.data, answered_on=f.answered_on.data,
                                                 channel=f.channel.data, expected_version=f.version.data))
FEEDBACK = _Move(
    "give_feedback", forms.FeedbackForm, _l("Ge återkoppling"), _l("Skicka återkopplingen"),
    _l("Återkopplingen är sparad och syns för den som rapporterade."),
    lambda actor, ref, f: services.give_feedback(actor, ref, text=f.text.data, expected_version=f.version.data))
CLOSE = _Move(
    "close", forms.CloseForm, _l("Avsluta ärendet"), _l("Avsluta ärendet"), _l("Ärendet är avslutat."),
    lambda actor, ref, f: services.close_case(actor, ref, summary=f.summary.data, expected_version=f.version.data,
                                              confirm_open_actions=f.confirm_open_actions.data,
                                              open_actions_reason=f.open_actions_reason.data or ""))
REOPEN = _Move(
    "reopen", forms.ReopenForm, _l("Öppna ärendet igen"), _l("Öppna ärendet igen"),
    _l("Ärendet är öppnat igen och ligger under utredning."),
    lambda actor, ref, f: services.reopen_case(actor, ref, reason=f.reason.data, expected_version=f.version.data),
    intro=_l("Ärendet går tillbaka till utredning. Skälet skrivs in i ärendets händelser."))


@bp.route("/<reference>/tilldela", methods=["GET", "POST"])
def assign(reference: str):
    return _handle(reference, ASSIGN, forms.AssignForm())


@bp.route("/<reference>/ta", methods=["POST"])
def take(reference: str):
    """"Tilldela mig": one button on the case page."""
    form = forms.AssignToMeForm()
    spec = _Move("assign", forms.AssignToMeForm, _l("Tilldela mig"), _l("Tilldela mig"),
                 _l("Du är nu handläggare för ärendet."),
                 lambda actor, ref, f: services.assign_case(actor, ref, assignee_id=actor.id,
                                                            expected_version=f.version.data))
    return _handle(reference, spec, form)


@bp.route("/<reference>/jav", methods=["GET", "POST"])
def disqualify(reference: str):
    return _handle(reference, DISQUALIFY, forms.DisqualifyForm())


@bp.route("/<reference>/beslut-om-utredning", methods=["GET", "POST"])
def triage(reference: str):
    form = forms.TriageForm(reasons=DECISION_REASONS)
    if request.method == "GET" and not form.decision.data:
        form.decision.data = "not_investigate"
    spec = TRIAGE
    if request.method == "POST" and form.decision.data == "investigate":
        spec = _Move("triage_investigate", forms.TriageForm, TRIAGE.title, TRIAGE.submit,
                     _l("Utredningen är inledd."), TRIAGE.perform, TRIAGE.intro)
    return _handle(reference, spec, form)


@bp.route("/<reference>/svar", methods=["GET", "POST"])
def answer(reference: str):
    form = forms.AnswerForm()
    if request.method == "GET":
        form.answered_on.data = today_local()
    return _handle(reference, ANSWER, form)


@bp.route("/<reference>/aterkoppling", methods=["GET", "POST"])
def feedback(reference: str):
    return _handle(reference, FEEDBACK, forms.FeedbackForm())


@bp.route("/<reference>/avsluta", methods=["GET", "POST"])
def close(reference: str):
    return _handle(reference, CLOSE, forms.CloseForm())


@bp.route("/<reference>/oppna-igen", methods=["GET", "POST"])
def reopen(reference: str):
    return _handle(reference, REOPEN, forms.ReopenForm())


# --- the investigation record, hand-overs and deadlines (app.cases.investigation, handover, deadlines)

@bp.app_context_processor
def record_words():
    return {"record_words": record_forms, "deadline_words": deadlines}


def _add_entry(actor, reference, form):
    section = form.section.data if "section" in form else None
    return investigation.add_entry(actor, reference, section=section or None, entry_date=form.entry_date.data,
                                   source=form.source.data, nature=form.nature.data, text=form.text.data,
                                   corrects_id=form.corrects.data, expected_version=form.version.data)


ADD_ENTRY = _Move("add_entry", record_forms.EntryForm, _l("Dokumentera i utredningen"), _l("Spara anteckningen"),
                  _l("Anteckningen är sparad."), _add_entry,
                  intro=_l("Namn, titel och tidpunkt sparas automatiskt. En sparad anteckning kan inte ändras; "
                           "blir något fel skriver du en ny anteckning som rättar den."))
CAUSES = _Move(
    "record_causes_and_risk", record_forms.CausesForm, _l("Orsaker"), _l("Spara orsakerna"),
    _l("Orsakerna är sparade."),
    lambda actor, ref, f: investigation.record_causes(actor, ref, areas=f.areas.data or [], text=f.text.data,
                                                      expected_version=f.version.data))
RISK = _Move(
    "record_causes_and_risk", record_forms.RiskForm, _l("Risk att det händer igen"), _l("Spara riskbedömningen"),
    _l("Riskbedömningen är sparad."),
    lambda actor, ref, f: investigation.record_risk(actor, ref, probability=f.probability.data,
                                                    consequence=f.consequence.data, text=f.text.data,
                                                    expected_version=f.version.data),
    intro=_l("Risken är sannolikheten gånger konsekvensen (1–16): 1–2 låg, 3–6 måttlig, 8–9 hög och 12–16 "
             "mycket hög risk."))
LINK = _Move(
    "link_case", record_forms.LinkForm, _l("Koppla ett liknande ärende"), _l("Koppla ärendet"),
    _l("Ärendena är kopplade till varandra."),
    lambda actor, ref, f: investigation.link_similar_case(actor, ref, other_reference=f.reference.data,
                                                          expected_version=f.version.data),
    intro=_l("Kopplingen visas i båda ärendena, under ”Har något liknande hänt tidigare?”."))
UNLINK = _Move(
    "link_case", record_forms.LinkForm, _l("Ta bort kopplingen till ett ärende"), _l("Ta bort kopplingen"),
    _l("Kopplingen är borttagen."),
    lambda actor, ref, f: investigation.unlink_similar_case(actor, ref, other_reference=f.reference.data,
                                                            expected_version=f.version.data))
FINISH = _Move(
    "finish_investigation", record_forms.FinishForm, _l("Slutför utredningen"), _l("Slutför utredningen"),
    _l("Utredningen är slutförd och väntar på lex Sarah-ansvarigas bedömning."),
    lambda actor, ref, f: investigation.finish_investigation(actor, ref, expected_version=f.version.data),
    intro=_l("Utredningen lämnas till lex Sarah-ansvarig för bedömning. Du kan fortfarande lägga till "
             "anteckningar."))


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


HAND_OVER = _Move(
    "hand_over_to_deviation", handover_forms.HandOverForm, _l("Överlämna som avvikelse"), _l("Överlämna"),
    _l("Lex Sarah-rapporten är avslutad och överlämnad som avvikelse."), _hand_over,
    intro=_l("En ny avvikelse skapas för samma enhet, med samma beskrivning och kategorier, och kopplas till "
             "rapporten. Lex Sarah-rapporten avslutas och behåller sin bedömning."))
ESCALATE = _Move(
    "escalate_to_lex_sarah", handover_forms.EscalateForm, _l("Gör en lex Sarah-rapport"),
    _l("Gör lex Sarah-rapporten"), _l("Lex Sarah-rapporten är gjord och kopplad till ärendet."), _escalate,
    intro=_l("En ny lex Sarah-rapport skapas för samma enhet, med samma beskrivning, och kopplas till ärendet. "
             "En avvikelse avslutas; ett klagomål fortsätter tills klaganden har fått svar."))
ACKNOWLEDGE = _Move(
    "acknowledge", deadline_forms.AcknowledgementForm, _l("Registrera mottagningsbekräftelse"), _l("Spara"),
    _l("Mottagningsbekräftelsen är registrerad."),
    lambda actor, ref, f: deadlines.record_acknowledgement(actor, ref, acknowledged_on=f.acknowledged_on.data,
                                                           channel=f.channel.data, expected_version=f.version.data),
    intro=_l("Klaganden ska få veta att klagomålet har kommit fram. Registrera när och hur det gjordes."))


@bp.route("/<reference>/utredning/anteckning", methods=["GET", "POST"])
def add_entry(reference: str):
    form = record_forms.EntryForm()
    if request.method == "GET":
        form.entry_date.data = today_local()
        form.section.data = request.args.get("avsnitt", "")
        form.corrects.data = forms._int_or_none(request.args.get("rattar"))
    return _handle(reference, ADD_ENTRY, form)


@bp.route("/<reference>/utredning/orsaker", methods=["GET", "POST"])
def causes(reference: str):
    return _handle(reference, CAUSES, record_forms.CausesForm())


@bp.route("/<reference>/utredning/risk", methods=["GET", "POST"])
def risk(reference: str):
    return _handle(reference, RISK, record_forms.RiskForm())


@bp.route("/<reference>/utredning/liknande", methods=["GET", "POST"])
def link_case(reference: str):
    return _handle(reference, LINK, record_forms.LinkForm())


@bp.route("/<reference>/utredning/liknande/ta-bort", methods=["GET", "POST"])
def unlink_case(reference: str):
    return _handle(reference, UNLINK, record_forms.LinkForm())


@bp.route("/<reference>/utredning/slutfor", methods=["GET", "POST"])
def finish_investigation(reference: str):
    return _handle(reference, FINISH, record_forms.FinishForm())


@bp.route("/<reference>/overlamna-som-avvikelse", methods=["GET", "POST"])
def hand_over(reference: str):
    return _handle(reference, HAND_OVER, handover_forms.HandOverForm())


@bp.route("/<reference>/gor-lex-sarah-rapport", methods=["GET", "POST"])
def escalate(reference: str):
    return _handle(reference, ESCALATE, handover_forms.EscalateForm())


@bp.route("/<reference>/bekraftelse", methods=["GET", "POST"])
def acknowledge(reference: str):
    form = deadline_forms.AcknowledgementForm()
    if request.method == "GET":
        form.acknowledged_on.data = today_local()
    return _handle(reference, ACKNOWLEDGE, form)


@bp.route("/tidsfrister", methods=["GET", "POST"])
@require(Action.MANAGE_SETTINGS)
def deadline_settings():
    form_class = deadline_forms.settings_form_class()
    if request.method == "GET":
        data = {}
        for (kind, step), rule in deadlines.view_deadlines(_me()).items():
            amount, unit = deadline_forms.field_names(kind, step)
            data[amount], data[unit] = rule.amount, rule.unit
        form = form_class(formdata=None, data=data)
        return render_template("cases/deadline_settings.html", form=form)
    form = form_class()
    if form.validate():
        try:
            count = deadlines.update_deadlines(_me(), form.values())
        except deadlines.DeadlineError as error:
            for (kind, step), message in error.errors.items():
                field = form[deadline_forms.field_names(kind, step)[0]]
                field.errors = [*field.errors, message]
        else:
            flash(_("Tidsfristerna är sparade. %(n)d öppna ärenden fick en ny tidsfrist.", n=count), "success")
            return redirect(url_for("cases.deadline_settings"))
    return render_template("cases/deadline_settings.html", form=form), 422
