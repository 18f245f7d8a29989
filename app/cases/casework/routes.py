"""The case page and the moves of everyday casework: assign, take, disqualify, triage, answer,
feedback, close, reopen. Thin: each page is a MovePage handled by app.cases.pages."""

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.cases import panels
from app.cases.casework import forms, services
from app.cases.models import DECISION_REASONS
from app.cases.pages import MovePage, bp, handle, me, reporter_page
from app.clock import today_local


@bp.route("/<reference>")
def case(reference: str):
    try:
        view = services.view_case(me(), reference)
    except services.CaseNotFound:
        abort(404)
    if not view.full:
        return reporter_page(view.case)  # "Mina rapporter"'s page (app.intake)
    # The page's own buttons ("Tilldela mig", "Inled utredning") are plain forms in cases/_actions.html:
    # no WTForms form is built for them (nor for the moves that have a page of their own).
    return render_template("cases/case.html", case=view.case, moves=view.moves, can_take=view.can_take,
                           proposed=view.proposed,
                           panels=panels.for_case(me(), view.case, view.moves, request.args))


def _assign(actor, reference, form):
    if form.assignee.raw_data == ["none"]:
        return services.assign_case(actor, reference, assignee_id=None, expected_version=form.version.data)
    if form.assignee.data is None:
        raise services.CaseWorkError(_("Välj en handläggare."), "assignee")
    return services.assign_case(actor, reference, assignee_id=form.assignee.data,
                                expected_version=form.version.data)


ASSIGN = MovePage("assign", forms.AssignForm, _l("Tilldela handläggare"), _l("Spara"),
               _l("Handläggaren är ändrad."), _assign)
DISQUALIFY = MovePage(
    "declare_disqualified", forms.DisqualifyForm, _l("Anmäl jäv"), _l("Anmäl jäv"),
    _l("Ditt jäv är registrerat. Du kan inte längre handlägga ärendet."),
    lambda actor, ref, f: services.declare_disqualified(actor, ref, reason=f.reason.data,
                                                        expected_version=f.version.data),
    intro=_l("Den som är jävig får inte handlägga ärendet. Anmäler du jäv tas du bort som handläggare och kan "
             "inte tilldelas ärendet igen. Anmälan syns i ärendets händelser."))
TRIAGE = MovePage(
    "triage_not_investigate", forms.TriageForm, _l("Beslut om utredning"), _l("Spara beslutet"),
    _l("Beslutet är sparat."),
    lambda actor, ref, f: services.decide_triage(actor, ref, decision=f.decision.data, reason=f.reason.data,
                                                 text=f.text.data, linked_reference=f.linked_reference.data,
                                                 expected_version=f.version.data),
    intro=_l("Ett beslut att inte inleda utredning avslutar ärendet. Det kräver ett skäl och en motivering."))
ANSWER = MovePage(
    "record_answer", forms.AnswerForm, _l("Registrera svar till klaganden"), _l("Spara svaret"),
    _l("Svaret är registrerat."),
    lambda actor, ref, f: services.record_answer(actor, ref, text=f.text.data, answered_on=f.answered_on.data,
                                                 channel=f.channel.data, expected_version=f.version.data))
FEEDBACK = MovePage(
    "give_feedback", forms.FeedbackForm, _l("Ge återkoppling"), _l("Skicka återkopplingen"),
    _l("Återkopplingen är sparad och syns för den som rapporterade."),
    lambda actor, ref, f: services.give_feedback(actor, ref, text=f.text.data, expected_version=f.version.data))
CLOSE = MovePage(
    "close", forms.CloseForm, _l("Avsluta ärendet"), _l("Avsluta ärendet"), _l("Ärendet är avslutat."),
    lambda actor, ref, f: services.close_case(actor, ref, summary=f.summary.data, expected_version=f.version.data,
                                              confirm_open_actions=f.confirm_open_actions.data,
                                              open_actions_reason=f.open_actions_reason.data or ""))
REOPEN = MovePage(
    "reopen", forms.ReopenForm, _l("Öppna ärendet igen"), _l("Öppna ärendet igen"),
    _l("Ärendet är öppnat igen och ligger under utredning."),
    lambda actor, ref, f: services.reopen_case(actor, ref, reason=f.reason.data, expected_version=f.version.data),
    intro=_l("Ärendet går tillbaka till utredning. Skälet skrivs in i ärendets händelser."))


@bp.route("/<reference>/tilldela", methods=["GET", "POST"])
def assign(reference: str):
    return handle(reference, ASSIGN, forms.AssignForm())


@bp.route("/<reference>/ta", methods=["POST"])
def take(reference: str):
    """"Tilldela mig": one button on the case page."""
    form = forms.AssignToMeForm()
    spec = MovePage("assign", forms.AssignToMeForm, _l("Tilldela mig"), _l("Tilldela mig"),
                 _l("Du är nu handläggare för ärendet."),
                 lambda actor, ref, f: services.assign_case(actor, ref, assignee_id=actor.id,
                                                            expected_version=f.version.data))
    return handle(reference, spec, form)


@bp.route("/<reference>/jav", methods=["GET", "POST"])
def disqualify(reference: str):
    return handle(reference, DISQUALIFY, forms.DisqualifyForm())


CONCERNED = MovePage(
    "set_concerned_staff", forms.ConcernedStaffForm, _l("Berörd personal"), _l("Spara"),
    _l("Berörd personal är ändrad."),
    lambda actor, ref, f: services.set_concerned_staff(actor, ref, user_ids=f.concerned_user_ids.data or [],
                                                       expected_version=f.version.data),
    intro=_l("Personal som rapporten handlar om kan aldrig se eller handlägga ärendet: inte i ärendelistan, "
             "sökningen, översikten eller påminnelserna. Ändringen syns i ärendets händelser."))


@bp.route("/<reference>/berord-personal", methods=["GET", "POST"])
def concerned_staff(reference: str):
    return handle(reference, CONCERNED, forms.ConcernedStaffForm())


@bp.route("/<reference>/beslut-om-utredning", methods=["GET", "POST"])
def triage(reference: str):
    form = forms.TriageForm(reasons=DECISION_REASONS)
    if request.method == "GET" and not form.decision.data:
        form.decision.data = "not_investigate"
    spec = TRIAGE
    if request.method == "POST" and form.decision.data == "investigate":
        spec = MovePage("triage_investigate", forms.TriageForm, TRIAGE.title, TRIAGE.submit,
                     _l("Utredningen är inledd."), TRIAGE.perform, TRIAGE.intro)
    return handle(reference, spec, form)


@bp.route("/<reference>/svar", methods=["GET", "POST"])
def answer(reference: str):
    form = forms.AnswerForm()
    if request.method == "GET":
        form.answered_on.data = today_local()
    return handle(reference, ANSWER, form)


@bp.route("/<reference>/aterkoppling", methods=["GET", "POST"])
def feedback(reference: str):
    return handle(reference, FEEDBACK, forms.FeedbackForm())


@bp.route("/<reference>/avsluta", methods=["GET", "POST"])
def close(reference: str):
    return handle(reference, CLOSE, forms.CloseForm())


@bp.route("/<reference>/oppna-igen", methods=["GET", "POST"])
def reopen(reference: str):
    return handle(reference, REOPEN, forms.ReopenForm())
