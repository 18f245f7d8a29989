"""Thin HTTP handlers for lex Sarah: read the request, call one command, render or redirect.

The commands on a case follow app/commands.py (see `_command`: the case's version from the form,
422 with the messages by their fields, the conflict and the refused move 409). A refused
permission is the app-wide 403 with its audit entry.
"""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import Action, ensure
from app.cases.investigation.forms import SECTION_LABELS
from app.clock import today_local
from app.commands import CaseConflict, CaseWorkError, Refused
from app.facts import facts_for, open_action_ids
from app.int_params import db_int
from app.labels import REQUIREMENT_LABELS, status_label
from app.lexsarah import common, investigation_document
from app.lexsarah import desk as desk_service
from app.lexsarah import document as document_service
from app.lexsarah import informing as informing_service
from app.lexsarah import judgment as judgment_service
from app.lexsarah import notification as notification_service
from app.lexsarah import position as position_service
from app.lexsarah import protection as protection_service
from app.lexsarah import provider as provider_service
from app.lexsarah import record as record_service
from app.lexsarah import supplement as supplement_service
from app.lexsarah.forms import (
    DeclineProposalForm,
    FinaliseForm,
    InformingForm,
    InvestigationSentForm,
    IvoDecisionForm,
    IvoReferenceForm,
    JudgmentForm,
    NotificationDraftForm,
    NotNotifyingForm,
    PositionForm,
    ProtectionForm,
    ProviderSettingsForm,
    SectionNoteForm,
    SendForm,
    SupplementReplyForm,
    SupplementRequestForm,
)
from app.lexsarah.labels import INFORMING_LABELS, IVO_OUTCOME_LABELS, SENT_VIA_LABELS, judgment_label
from app.lexsarah.models import INFORMING_ITEMS
from app.security_headers import allow_own_stylesheet
from app.workflow import NOTIFICATION_COMPLETE, MoveRefused

bp = Blueprint("lexsarah", __name__, url_prefix="/lex-sarah")


# What other features add to the officer's desk: template variable -> load(person), set by
# create_app() (the supervision cases' deadlines), so lex Sarah imports none of them.
DESK_EXTRAS: dict = {}


def _me():
    return current_user._get_current_object()


@bp.app_context_processor
def lex_sarah_template_helpers():
    # Also for the case page, which includes lexsarah/_case_panel.html.
    return {"lex_sarah_judgment_label": judgment_label, "lex_sarah_status_label": status_label,
            "lex_sarah_ivo_outcome_labels": IVO_OUTCOME_LABELS,
            "lex_sarah_position_in_reach": position_service.in_reach,
            "lex_sarah_section_notes": record_service.notes_of,
            "lex_sarah_protection_due": protection_service.due_on, "lex_sarah_checklist": record_service.checklist,
            "lex_sarah_legal_line": _legal_line,
            "lex_sarah_investigation_copy": investigation_document.frozen_copy,
            "lex_sarah_investigation_verified": investigation_document.verify}


def _legal_line(case) -> str:
    """The legal basis by the date of the event, as on the notification (app/lexsarah/legal.py)."""
    return document_service.legal_line(case, provider_service.provider_settings())


def _case(reference: str):
    return common.find_case(reference) or abort(404)


def _open(reference: str, action: Action, page: str):
    """The case, once the person may do `action` on it: a GET is a logged read, a POST is only checked
    here (the service checks again) so that a refused form is never rendered back."""
    case = _case(reference)
    if request.method == "GET":
        common.open_page(case, _me(), action, page)
    else:
        ensure(_me(), action, case)
    return case


def _show_errors(form, error: common.LexSarahError) -> None:
    """Put each message next to its field; a message about the whole page goes to the top."""
    for name, message in error.errors.items():
        if name and name in form:
            form[name].errors = [*form[name].errors, message]
        else:
            flash(message, "error")


def _expected_version(form) -> int:
    """The case's version the page put in the form; only a hand-made request lacks it (400)."""
    version = form.version_value()
    if version is None:
        abort(400)
    return version


def _refused(reference: str, refusal: MoveRefused):
    """The state machine refused the move: 409, in the requirement's words (as app/cases)."""
    return render_template("cases/refused.html", reference=reference,
                           message=common.refusal_message(refusal)), 409


def _command(reference: str, form, call, page, refused=None):
    """Call one command on the case for `form`: (what it returned, None) when it was carried out;
    otherwise (None, the answer): the page with each message by its field (422), the page again with
    the case's new version and the person's text kept when someone saved first (409), or the state
    machine's refusal (409; `refused(refusal)` where the page shows its own). `call(expected_version)`
    is the command; `page(case, status)` renders the form's page."""
    try:
        return call(_expected_version(form)), None
    except MoveRefused as refusal:
        return None, (refused or (lambda r: _refused(reference, r)))(refusal)
    except CaseConflict as conflict:
        flash(_("Någon annan har ändrat ärendet under tiden. Kontrollera uppgifterna och skicka igen."), "error")
        form.version.data = str(conflict.case.version)
        form.version.raw_data = [str(conflict.case.version)]  # rendered before .data
        return None, page(conflict.case, 409)
    except Refused as refused:
        _show_errors(form, refused)
        return None, page(_case(reference), 422)


def _status_for(form, error=None) -> int:
    if isinstance(error, common.LexSarahConflict):
        return 409
    return 422 if (form.errors or error) else 200


# --- the officer's desk ---------------------------------------------------------------------

@bp.route("")
def desk():
    pages = {name: request.args.get(f"sida_{name}", 1, type=db_int) for name in desk_service.DESK_LISTS}
    lists = desk_service.desk(_me(), pages)
    extras = {name: load(_me()) for name, load in DESK_EXTRAS.items()}
    return render_template("lexsarah/desk.html", lists=lists, today=today_local(), **extras)


# --- judgment -------------------------------------------------------------------------------

def _judgment_page(case, form, mode: str, status: int = 200):
    move = "record_judgment" if mode == "judge" else "propose_judgment"
    # The investigation beside the questions: entries with provenance, causes, risk, similar cases.
    record = investigation_document.read_record(_me(), case, with_similar=True)
    return render_template("lexsarah/judgment.html", case=case, form=form, mode=mode, record=record,
                           judgment=case.lex_sarah_judgment, open_for_input=common.allowed(case, move)), status


def _prefill(form: JudgmentForm, case, mode: str) -> None:
    judgment = case.lex_sarah_judgment
    if judgment is None:
        return
    if mode == "judge" and judgment.judged:
        form.fill({"established": judgment.outcome, "established_motivation": judgment.established_motivation,
                   "serious_harm": judgment.serious_harm, "serious_harm_motivation": judgment.serious_harm_motivation,
                   "serious_risk": judgment.serious_risk,
                   "serious_risk_motivation": judgment.serious_risk_motivation}, judgment.rationale)
    elif judgment.has_proposal:
        form.fill(judgment.proposed_answers or {"established": judgment.proposed_outcome},
                  judgment.proposed_rationale)


@bp.route("/<reference>/bedomning", methods=["GET", "POST"])
def judgment(reference: str):
    case = _open(reference, Action.JUDGE, "judgment")
    form = JudgmentForm()
    if request.method == "GET":
        _prefill(form, case, "judge")
        form.version.data = str(case.version)
    elif form.validate_on_submit():
        result, answer = _command(reference, form, lambda version: judgment_service.record_judgment(
            _me(), reference, expected_version=version, **form.answers()),
            lambda now, status: _judgment_page(now, form, "judge", status))
        if answer is not None:
            return answer
        if result.serious:
            flash(_("Bedömningen är sparad: allvarligt. Anmäl till IVO snarast, eller motivera varför inte."),
                  "success")
            return redirect(url_for("lexsarah.notification", reference=reference))
        flash(_("Bedömningen är sparad."), "success")
        return redirect(url_for("lexsarah.judgment", reference=reference))
    return _judgment_page(case, form, "judge", _status_for(form))


@bp.route("/<reference>/forslag", methods=["GET", "POST"])
def proposal(reference: str):
    case = _open(reference, Action.PROPOSE_JUDGMENT, "proposal")
    form = JudgmentForm()
    if request.method == "GET":
        _prefill(form, case, "propose")
        form.version.data = str(case.version)
    elif form.validate_on_submit():
        _result, answer = _command(reference, form, lambda version: judgment_service.propose_judgment(
            _me(), reference, expected_version=version, **form.answers()),
            lambda now, status: _judgment_page(now, form, "propose", status))
        if answer is not None:
            return answer
        flash(_("Förslaget till bedömning är sparat. Lex Sarah-ansvarig bekräftar eller ändrar det."), "success")
        return redirect(url_for("lexsarah.proposal", reference=reference))
    return _judgment_page(case, form, "propose", _status_for(form))


# --- the notification and what follows ---------------------------------------------------------

def _notification_page(case, *, draft=None, send=None, not_notifying=None, investigation=None, decision=None,
                       ivo_reference=None, supplement=None, supplement_reply=None, provider_missing: bool = False,
                       chosen_supplement: int | None = None, status: int = 200):
    ivo = case.lex_sarah_ivo
    # A posted form keeps the version it was posted with (or the case's new one after a conflict).
    posted = {id(form) for form in (draft, send, not_notifying, investigation, decision, ivo_reference, supplement,
                                    supplement_reply) if form is not None}
    if draft is None:
        drafted = ivo is not None and ivo.draft_saved_at is not None
        draft = NotificationDraftForm(prefix="draft", formdata=None, obj=ivo if drafted else None,
                                      data=None if drafted else notification_service.draft_defaults(case, _me()))
    if send is None:
        send = SendForm(prefix="send", formdata=None, data={"sent_on": today_local()})
    forms = {"draft": draft, "send": send,
             "not_notifying": not_notifying or NotNotifyingForm(prefix="not", formdata=None),
             "investigation": investigation or InvestigationSentForm(prefix="inv", formdata=None,
                                                                     data={"sent_on": today_local()}),
             "decision": decision or IvoDecisionForm(prefix="dec", formdata=None),
             "ivo_reference": ivo_reference or IvoReferenceForm(prefix="ref", formdata=None),
             "supplement": supplement or SupplementRequestForm(prefix="supp", formdata=None,
                                                               data={"requested_on": today_local()}),
             "supplement_reply": supplement_reply or _supplement_reply_form(case, blank=True,
                                                                            chosen=chosen_supplement)}
    finalise = FinaliseForm(prefix="fin", formdata=None)
    for form in (*forms.values(), finalise):
        if id(form) not in posted:  # each form is a command on the case: the version this page shows
            form.version.data = str(case.version)
    missing = common.missing_for(case, "finalise_notification", NOTIFICATION_COMPLETE)
    if "draft_saved" in missing:  # before the draft, step 1 is the one thing to do (and the nämnd's details)
        missing = tuple(fact for fact in missing if fact in ("draft_saved", "provider_complete"))
    return render_template("lexsarah/notification.html", case=case, ivo=ivo, judgment=case.lex_sarah_judgment,
                           provider=provider_service.provider_settings(), forms=forms, today=today_local(),
                           sent_via_labels=SENT_VIA_LABELS,
                           ivo_outcome_labels=IVO_OUTCOME_LABELS,
                           verified=(notification_service.verify_frozen_document(ivo)
                                     if ivo is not None and ivo.frozen else None),
                           can_notify=common.allowed(case, "notify_ivo"),
                           can_draft=common.allowed(case, "save_ivo_draft"),
                           can_finalise=common.allowed(case, "finalise_notification"),
                           can_record_reference=common.allowed(case, "record_ivo_reference"),
                           can_request_supplement=common.allowed(case, "record_supplement_request"),
                           can_reply_supplement=common.allowed(case, "record_supplement_reply"),
                           finalise_form=finalise, provider_missing=provider_missing,
                           finalise_missing=[REQUIREMENT_LABELS[fact] for fact in missing],
                           finalise_missing_provider="provider_complete" in missing,
                           provider_incomplete=not facts_for(case)["provider_complete"],
                           can_send_investigation=common.allowed(case, "record_investigation_sent"),
                           can_record_decision=common.allowed(case, "record_ivo_decision"),
                           can_refuse=common.allowed(case, "record_ivo_decision_not_to_notify")), status


def _supplement_reply_form(case, *, blank: bool = False, chosen: int | None = None) -> SupplementReplyForm:
    """The reply form, with the case's open requests to choose from (a blank one: today, and the
    only open request, or the one the desk's link named, chosen already); otherwise as posted."""
    still_open = supplement_service.open_supplements(case)
    if blank:
        data = {"answered_on": today_local()}
        if len(still_open) == 1:
            data["supplement_id"] = str(still_open[0].id)
        elif chosen in {s.id for s in still_open}:  # one answered meanwhile chooses nothing
            data["supplement_id"] = str(chosen)
        form = SupplementReplyForm(prefix="reply", formdata=None, data=data)
    else:
        form = SupplementReplyForm(prefix="reply")
    form.supplement_id.choices = [
        (str(s.id), _("Begäran %(day)s, senast %(due)s", day=s.requested_on.isoformat(), due=s.due_on.isoformat()))
        for s in still_open]
    return form


@bp.route("/<reference>/anmalan", methods=["GET", "POST"])
def notification(reference: str):
    case = _open(reference, Action.NOTIFY_IVO, "notification")
    if request.method == "GET":
        # ?begaran=<id>: the desk's link to one of IVO's open supplement requests chooses it in the reply form.
        chosen = request.args.get("begaran")
        if chosen is not None and not (chosen.isascii() and chosen.isdigit()):
            abort(400)
        return _notification_page(case, chosen_supplement=int(chosen) if chosen else None)
    form = NotificationDraftForm(prefix="draft")
    if form.validate_on_submit():
        _ivo, answer = _command(reference, form, lambda version: notification_service.save_notification_draft(
            _me(), reference, expected_version=version, **form.values()),
            lambda now, status: _notification_page(now, draft=form, status=status))
        if answer is not None:
            return answer
        flash(_("Uppgifterna till anmälan är sparade. Granska dokumentet och skicka det sedan till IVO."), "success")
        return redirect(url_for("lexsarah.notification", reference=reference) + "#skicka")
    return _notification_page(case, draft=form, status=_status_for(form))


@bp.route("/<reference>/anmalan/skickad", methods=["POST"])
def record_sent(reference: str):
    case = _open(reference, Action.NOTIFY_IVO, "")
    form = SendForm(prefix="send")
    if form.validate_on_submit():
        _ivo, answer = _command(reference, form, lambda version: notification_service.notify_ivo(
            _me(), reference, sent_via=form.sent_via.data, sent_on=form.sent_on.data,
            ivo_reference=form.ivo_reference.data or "", expected_version=version),
            lambda now, status: _notification_page(now, send=form, status=status))
        if answer is not None:
            return answer
        flash(_("Anmälan är registrerad som skickad. Dokumentet är sparat och ändras inte längre."), "success")
        return redirect(url_for("lexsarah.notification", reference=reference))
    return _notification_page(case, send=form, status=_status_for(form))


@bp.route("/<reference>/anmalan/signera", methods=["POST"])
def finalise(reference: str):
    case = _open(reference, Action.NOTIFY_IVO, "")
    form = FinaliseForm(prefix="fin")
    if not form.validate_on_submit():
        abort(400)

    def refused(refusal: MoveRefused):
        # The page lists what IVO's form still lacks (e.g. a question unanswered): 409, as the refusal.
        flash(common.refusal_message(refusal), "error")
        return _notification_page(case, provider_missing="provider_complete" in refusal.unmet, status=409)

    _ivo, answer = _command(reference, form, lambda version: notification_service.finalise_notification(
        _me(), reference, expected_version=version),
        lambda now, status: _notification_page(now, status=status), refused)
    if answer is not None:
        return answer
    flash(_("Anmälan är slutförd och signerad. Skicka den till IVO och registrera sedan hur och när."), "success")
    return redirect(url_for("lexsarah.notification", reference=reference) + "#skicka")


def _notification_step(case, form, form_key: str, done: str, act):
    """One step on the notification page: the form checked, one command (`act(version)`), then back to
    the page; the form (under `form_key`) comes back with its messages and the typed text kept."""
    if form.validate_on_submit():
        _done, answer = _command(case.reference, form, act,
                                 lambda now, status: _notification_page(now, status=status, **{form_key: form}))
        if answer is not None:
            return answer
        flash(done, "success")
        return redirect(url_for("lexsarah.notification", reference=case.reference))
    return _notification_page(case, status=_status_for(form), **{form_key: form})


@bp.route("/<reference>/anmalan/ivo-diarienummer", methods=["POST"])
def record_ivo_reference(reference: str):
    case = _open(reference, Action.NOTIFY_IVO, "")
    form = IvoReferenceForm(prefix="ref")
    return _notification_step(case, form, "ivo_reference", _("IVO:s diarienummer är registrerat."),
                              lambda version: notification_service.record_ivo_reference(
                                  _me(), reference, ivo_reference=form.ivo_reference.data or "",
                                  expected_version=version))


@bp.route("/<reference>/anmalan/komplettering", methods=["POST"])
def record_supplement_request(reference: str):
    case = _open(reference, Action.NOTIFY_IVO, "")
    form = SupplementRequestForm(prefix="supp")
    return _notification_step(case, form, "supplement", _("IVO:s begäran om komplettering är registrerad."),
                              lambda version: supplement_service.record_supplement_request(
                                  _me(), reference, requested_on=form.requested_on.data, due_on=form.due_on.data,
                                  text=form.text.data or "", expected_version=version))


@bp.route("/<reference>/anmalan/komplettering-skickad", methods=["POST"])
def record_supplement_reply(reference: str):
    case = _open(reference, Action.NOTIFY_IVO, "")
    form = _supplement_reply_form(case)
    done = _("Att kompletteringen skickats till IVO är registrerat.")
    return _notification_step(case, form, "supplement_reply", done,
                              lambda version: supplement_service.record_supplement_reply(
                                  _me(), reference, answered_on=form.answered_on.data,
                                  supplement_id=form.supplement_id.data, expected_version=version))


@bp.route("/<reference>/anmalan/ej-anmalan", methods=["POST"])
def record_not_notifying(reference: str):
    case = _open(reference, Action.NOTIFY_IVO, "")
    form = NotNotifyingForm(prefix="not")
    return _notification_step(case, form, "not_notifying", _("Ställningstagandet att inte anmäla till IVO är sparat."),
                              lambda version: notification_service.record_not_notifying(
                                  _me(), reference, reason=form.reason.data or "", expected_version=version))


@bp.route("/<reference>/anmalan/utredning-skickad", methods=["POST"])
def record_investigation_sent(reference: str):
    case = _open(reference, Action.NOTIFY_IVO, "")
    form = InvestigationSentForm(prefix="inv")
    return _notification_step(case, form, "investigation", _("Att utredningen skickats till IVO är registrerat."),
                              lambda version: notification_service.record_investigation_sent(
                                  _me(), reference, sent_on=form.sent_on.data, expected_version=version))


@bp.route("/<reference>/anmalan/ivo-beslut", methods=["POST"])
def record_ivo_decision(reference: str):
    case = _open(reference, Action.NOTIFY_IVO, "")
    form = IvoDecisionForm(prefix="dec")
    return _notification_step(case, form, "decision", _("IVO:s beslut är registrerat."),
                              lambda version: notification_service.record_ivo_decision(
                                  _me(), reference, outcome=form.outcome.data or "", decided_on=form.decided_on.data,
                                  text=form.text.data or "", expected_version=version))


def _document(reference: str, fmt: str, produce, back: str, filename: str, unfrozen: str) -> Response:
    """A lex Sarah document (`produce(case, actor, fmt)` → content, whether it is the frozen copy) as
    a page or a PDF, never cached; a stored copy failing its checksum sends the person back with why."""
    case = _case(reference)
    try:
        content, frozen = produce(case, _me(), fmt)
    except common.LexSarahError as error:
        flash(error.message, "error")
        return redirect(url_for(back, reference=reference))
    if fmt == "html":
        response = Response(content, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        return allow_own_stylesheet(response)  # the document carries its stylesheet (a stored copy stands alone)
    name = f"{filename}-{case.reference}{'' if frozen else unfrozen}.pdf"
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<reference>/anmalan/dokument")
def document_html(reference: str):
    return _document(reference, "html", notification_service.notification_document, "lexsarah.notification",
                     "anmalan-lex-sarah", "-utkast")


@bp.route("/<reference>/anmalan.pdf")
def document_pdf(reference: str):
    return _document(reference, "pdf", notification_service.notification_document, "lexsarah.notification",
                     "anmalan-lex-sarah", "-utkast")


# --- the investigation document "Utredning enligt lex Sarah" -----------------------------------

@bp.route("/<reference>/utredning-dokument")
def investigation_html(reference: str):
    return _document(reference, "html", investigation_document.investigation_document, "cases.case",
                     "utredning-lex-sarah", "-forhandsvisning")


@bp.route("/<reference>/utredning.pdf")
def investigation_pdf(reference: str):
    return _document(reference, "pdf", investigation_document.investigation_document, "cases.case",
                     "utredning-lex-sarah", "-forhandsvisning")


# --- the short investigation closed with the officer's ställningstagande ----------------------

def _position_page(case, form, status: int = 200, decline=None):
    missing = [str(REQUIREMENT_LABELS.get(fact, fact)) for fact in position_service.missing(case)]
    proposal = position_service.open_proposal(case)
    if decline is None:
        decline = DeclineProposalForm(prefix="decline", formdata=None)
        decline.version.data = str(case.version)
    return render_template("lexsarah/position.html", case=case, form=form, missing=missing,
                           informing_missing=any(f.startswith("informed_") for f in position_service.missing(case)),
                           proposal=proposal, decline=decline), status


def _prefill_position(form: PositionForm, case) -> None:
    """The officer's form starts from an investigator's open proposal, if there is one."""
    proposal = position_service.open_proposal(case)
    if proposal is not None:
        form.reason.data, form.text.data = proposal.reason, proposal.text
        form.linked_reference.data, form.passed_to.data = proposal.linked_reference, proposal.passed_to
        form.passed_on.data = proposal.passed_on


def _proposal_page(case, form, status: int = 200):
    return render_template("lexsarah/position.html", case=case, form=form, missing=[], informing_missing=False,
                           proposal=None, decline=None, proposing=True), status


@bp.route("/<reference>/stallningstagande/forslag", methods=["GET", "POST"])
def propose_position(reference: str):
    if request.method == "GET":
        case = position_service.open_proposal_page(_me(), reference)
        form = PositionForm(formdata=None)
        form.ask_about_open_actions(False)  # the officer is asked when deciding
        form.version.data = str(case.version)
        return _proposal_page(case, form)
    ensure(_me(), Action.PROPOSE_JUDGMENT, _case(reference))  # who may, before anything about the form
    form = PositionForm()
    form.ask_about_open_actions(False)
    form.validate()
    _done, answer = _command(reference, form, lambda version: position_service.propose_position(
        _me(), reference, reason=form.reason.data, text=form.text.data or "",
        linked_reference=form.linked_reference.data or "", passed_to=form.passed_to.data or "",
        passed_on=form.passed_on.data, expected_version=version),
        lambda now, status: _proposal_page(now, form, status))
    if answer is not None:
        return answer
    flash(_("Förslaget till ställningstagande är skickat till lex Sarah-ansvarig, som beslutar om det."), "success")
    return redirect(url_for("cases.case", reference=reference))


@bp.route("/<reference>/stallningstagande/forslag/avboj", methods=["POST"])
def decline_position_proposal(reference: str):
    case = _case(reference)
    ensure(_me(), Action.JUDGE, case)  # who may, before anything about the form
    decline = DeclineProposalForm(prefix="decline")
    version = decline.version_value()
    if version is None:
        abort(400)
    decline.validate()
    form = PositionForm(formdata=None)
    form.ask_about_open_actions(bool(open_action_ids(case)))
    form.version.data = str(case.version)
    _prefill_position(form, case)
    try:
        position_service.decline_proposal(_me(), reference, reason=decline.reason.data or "",
                                          expected_version=version)
    except CaseWorkError as refused:
        decline.reason.errors = [*decline.reason.errors, refused.message]
        return _position_page(case, form, 422, decline=decline)
    except CaseConflict as conflict:
        flash(_("Någon annan har ändrat ärendet under tiden. Kontrollera uppgifterna och skicka igen."), "error")
        decline.version.data = str(conflict.case.version)
        return _position_page(conflict.case, form, 409, decline=decline)
    except MoveRefused as refusal:
        return render_template("cases/refused.html", reference=reference,
                               message=common.refusal_message(refusal)), 409
    flash(_("Förslaget är avböjt. Den som föreslog det har fått veta det."), "success")
    return redirect(url_for("cases.case", reference=reference))


@bp.route("/<reference>/stallningstagande", methods=["GET", "POST"])
def position(reference: str):
    if request.method == "GET":
        case = position_service.open_position(_me(), reference)
        form = PositionForm(formdata=None)
        form.ask_about_open_actions(bool(open_action_ids(case)))
        form.version.data = str(case.version)
        _prefill_position(form, case)
        return _position_page(case, form)
    ensure(_me(), Action.JUDGE, _case(reference))  # who may, before anything about the form
    form = PositionForm()
    form.ask_about_open_actions(bool(open_action_ids(_case(reference))))
    form.validate()
    _done, answer = _command(reference, form, lambda version: position_service.close_with_position(
        _me(), reference, reason=form.reason.data, text=form.text.data or "",
        linked_reference=form.linked_reference.data or "", passed_to=form.passed_to.data or "",
        passed_on=form.passed_on.data,
        confirm_open_actions=bool(form.confirm_open_actions.data) if "confirm_open_actions" in form else False,
        open_actions_reason=(form.open_actions_reason.data or "") if "open_actions_reason" in form else "",
        expected_version=version),
        lambda now, status: _position_page(now, form, status))
    if answer is not None:
        return answer
    flash(_("Utredningen är avslutad med ställningstagande."), "success")
    return redirect(url_for("cases.case", reference=reference))


# --- immediate protection -------------------------------------------------------------------

@bp.route("/<reference>/skydd", methods=["GET", "POST"])
def protection(reference: str):
    if request.method == "GET":
        case = protection_service.open_protection(_me(), reference)
        form = ProtectionForm(formdata=None)
        form.version.data = str(case.version)
        form.done_on.data = today_local()
        return _protection_page(case, form)
    form = ProtectionForm()
    if form.version_value() is None:
        ensure(_me(), Action.WORK_CASE, _case(reference))  # who may, before the 400 for the form
    form.validate()
    _done, answer = _command(reference, form, lambda version: protection_service.record_protection(
        _me(), reference, what=form.what.data or "", done_on=form.done_on.data, done_by=form.done_by.data or "",
        expected_version=version),
        lambda now, status: _protection_page(now, form, status))
    if answer is not None:
        return answer
    flash(_("Det omedelbara skyddet är registrerat."), "success")
    return redirect(url_for("cases.case", reference=reference))


def _protection_page(case, form, status: int = 200):
    return render_template("lexsarah/protection.html", case=case, form=form,
                           due_on=protection_service.due_on(case)), status


# --- the investigation record: "nothing to record" for a section -----------------------------

@bp.route("/<reference>/utredning/<section>/inget-att-anteckna", methods=["GET", "POST"])
def section_note(reference: str, section: str):
    if request.method == "GET":
        case = record_service.open_note(_me(), reference, section)
        form = SectionNoteForm(formdata=None)
        form.version.data = str(case.version)
        return _section_note_page(case, section, form)
    form = SectionNoteForm()
    if form.version_value() is None:
        ensure(_me(), Action.WORK_CASE, _case(reference))  # who may, before the 400 for the form
    form.validate()
    _done, answer = _command(reference, form, lambda version: record_service.mark_nothing_to_record(
        _me(), reference, section=section, reason=form.reason.data or "", expected_version=version),
        lambda now, status: _section_note_page(now, section, form, status))
    if answer is not None:
        return answer
    flash(_("Punkten är markerad: inget att anteckna."), "success")
    return redirect(url_for("cases.case", reference=reference, _anchor=f"avsnitt-{section}"))


def _section_note_page(case, section: str, form, status: int = 200):
    return render_template("lexsarah/section_note.html", case=case, form=form, section=section,
                           section_label=SECTION_LABELS[section]), status


# --- informing -----------------------------------------------------------------------------

def _informing_page(case, form, status: int = 200):
    return render_template("lexsarah/informing.html", case=case, form=form, items=INFORMING_ITEMS,
                           labels=INFORMING_LABELS, informing=case.lex_sarah_informing), status


@bp.route("/<reference>/information", methods=["GET", "POST"])
def informing(reference: str):
    case = _open(reference, Action.WORK_CASE, "informing")
    if request.method == "GET":
        record = case.lex_sarah_informing
        form = InformingForm(formdata=None)
        if record is not None:
            for name in INFORMING_ITEMS:
                on, reason = record.item(name)
                form[f"{name}_on"].data = on
                form[f"{name}_not_applicable"].data = bool(reason)
                form[f"{name}_reason"].data = reason
        form.version.data = str(case.version)
        return _informing_page(case, form)
    form = InformingForm()
    if form.validate_on_submit():
        items = {name: informing_service.InformingItem(on=form[f"{name}_on"].data,
                                                       not_applicable=bool(form[f"{name}_not_applicable"].data),
                                                       reason=form[f"{name}_reason"].data or "")
                 for name in INFORMING_ITEMS}
        _done, answer = _command(reference, form, lambda version: informing_service.record_informing(
            _me(), reference, items=items, expected_version=version),
            lambda now, status: _informing_page(now, form, status))
        if answer is not None:
            return answer
        flash(_("Uppgifterna om information och återkoppling är sparade."), "success")
        return redirect(url_for("lexsarah.informing", reference=reference))
    return _informing_page(case, form, _status_for(form))


# --- the provider's details (admin) ----------------------------------------------------------

@bp.route("/installningar", methods=["GET", "POST"])
def provider_settings():
    if request.method == "GET":
        settings = provider_service.open_provider_settings(_me())
        form = ProviderSettingsForm(formdata=None, obj=settings)
        return render_template("lexsarah/settings.html", form=form)
    ensure(_me(), Action.MANAGE_PROVIDER_SETTINGS)
    form = ProviderSettingsForm()
    error = None
    if form.validate_on_submit():
        try:
            provider_service.save_provider_settings(_me(), **form.values())
        except common.LexSarahError as refused:
            error = refused
            _show_errors(form, refused)
        else:
            flash(_("Uppgifterna för anmälan till IVO är sparade."), "success")
            return redirect(url_for("lexsarah.provider_settings"))
    return render_template("lexsarah/settings.html", form=form), _status_for(form, error)
