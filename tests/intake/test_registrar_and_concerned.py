"""Jäv (issue 13, point 11): who registers a report on someone else's behalf is its registrar, not its
reporter; the staff a report concerns never see or handle it."""

import html as html_lib
from datetime import datetime

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import User
from app.cases.models import Case, ConcernedStaff
from app.clock import frozen
from app.extensions import db
from app.mailer import OutgoingMail
from tests.intake.conftest import assert_nothing_stored, error_for, post_report, valid_form

NOW = datetime(2026, 3, 2, 15, 0)


def _id(username: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == username))


def _only_case() -> Case:
    return db.session.scalar(select(Case))


def test_a_phone_complaint_registered_by_erik_is_his_to_handle(login_as):
    """The issue's finding: erik registered a phone complaint and was then shut out of it."""
    erik = login_as("erik")
    with frozen(NOW):
        response = post_report(erik, "complaint", valid_form("complaint", on_behalf="y"))
    assert response.status_code == 302, response.get_data(as_text=True)
    case = _only_case()
    assert (case.registered_by.username, case.reporter_id, case.reporter_name) == ("erik", None, None)
    assert erik.get(response.headers["Location"]).status_code == 200  # the registrar's receipt
    page = erik.get(f"/arenden/{case.reference}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Tilldela mig" in text  # he may take it: the registrar is not excluded as a reporter is
    assert erik.post(f"/arenden/{case.reference}/ta", data={"version": case.version}).status_code == 302
    db.session.expire_all()
    assert _only_case().assigned_to.username == "erik"
    # Not his report: "Mina rapporter" is the reporter's list.
    assert case.reference not in erik.get("/mina-rapporter").get_data(as_text=True)


def test_registering_a_lex_sarah_report_for_a_colleague(login_as):
    """erik writes down anna's oral report: anna is the reporter (excluded, Mina rapporter, the receipt),
    erik the registrar (he may handle it); the journal, the audit log and the case page say so."""
    erik = login_as("erik")
    with frozen(NOW):
        response = post_report(erik, "lex_sarah", valid_form("lex_sarah", on_behalf="y",
                                                             reporter_user_id=str(_id("anna"))))
    assert response.status_code == 302, response.get_data(as_text=True)
    case = _only_case()
    assert (case.reporter.username, case.registered_by.username, case.reporter_name) == ("anna", "erik", None)
    filed = case.journal[0]
    assert (filed.event, filed.actor_name, filed.detail["registered_for"]) == ("filed", "Erik Eriksson",
                                                                              "Anna Andersson")
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.filed"))
    assert (audit.user_name, audit.detail["registered_for"]) == ("Erik Eriksson", "Anna Andersson")
    receipt = db.session.scalar(select(OutgoingMail).where(OutgoingMail.recipients.contains("anna@")))
    assert "Erik Eriksson har registrerat din rapport" in receipt.body

    page = erik.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert "Registrerad av Erik Eriksson för Anna Andersson" in html_lib.unescape(page)
    assert "Tilldela mig" in page
    anna = login_as("anna")
    assert case.reference in anna.get("/mina-rapporter").get_data(as_text=True)
    own = anna.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert "Tilldela mig" not in own  # the reporter's own page only


def test_registering_for_someone_outside_varna_by_name(login_as):
    erik = login_as("erik")
    with frozen(NOW):
        response = post_report(erik, "deviation", valid_form("deviation", on_behalf="y",
                                                             reporter_name="Olle Vikarie"))
    assert response.status_code == 302, response.get_data(as_text=True)
    case = _only_case()
    assert (case.reporter_id, case.reporter_name, case.registered_by.username) == (None, "Olle Vikarie", "erik")
    page = html_lib.unescape(erik.get(f"/arenden/{case.reference}").get_data(as_text=True))
    assert "Registrerad av Erik Eriksson för Olle Vikarie" in page


def test_filing_for_oneself_is_unchanged(login_as):
    anna = login_as("anna")
    with frozen(NOW):
        assert post_report(anna, "deviation", valid_form("deviation")).status_code == 302
    case = _only_case()
    assert (case.reporter.username, case.registered_by.username, case.reporter_name) == ("anna", "anna", None)
    assert not case.registered_for_someone


BAD = [
    ("reporter_user_id", {"on_behalf": "y", "reporter_user_id": "999999"}, "Välj en person i listan."),
    ("reporter_user_id", {"on_behalf": "y", "reporter_user_id": "x1"}, "Välj en person i listan."),
    ("reporter_name", {"on_behalf": "y", "reporter_user_id": "anna", "reporter_name": "Olle"},
     "Välj en person i Värna eller skriv ett namn, inte båda."),
    ("reporter_name", {"on_behalf": "y", "reporter_name": "O" * 201}, "Namnet får ha högst 200 tecken (nu 201)."),
    ("reporter_name", {"on_behalf": "y"}, "Välj vem som rapporterade eller skriv namnet"),
    ("reporter_user_id", {"on_behalf": "y", "reporter_user_id": "erik"},
     "Du kan inte registrera åt dig själv."),
    ("concerned_user_ids", {"concerned_user_ids": ["999999"]}, "Välj personer ur listan."),
    ("concerned_user_ids", {"concerned_user_ids": ["erik"]},
     "Den som rapporterar eller registrerar kan inte vara berörd personal."),
]


@pytest.mark.parametrize(("field", "changes", "message"), BAD)
@pytest.mark.parametrize("kind", ["deviation", "lex_sarah"])
def test_bad_registration_input_is_refused_at_its_field(app, login_as, kind, field, changes, message):
    erik = login_as("erik")
    # Usernames stand for the ids of the demo users (known only once the demo data exists).
    def real(value):
        return str(_id(value)) if value in ("anna", "erik") else value
    changes = {k: [real(x) for x in v] if isinstance(v, list) else real(v) for k, v in changes.items()}
    with frozen(NOW):
        response = post_report(erik, kind, valid_form(kind, **changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in html_lib.unescape(error_for(page, field))
    assert_nothing_stored(app)
    if changes.get("reporter_name"):
        assert html_lib.escape(changes["reporter_name"]) in page  # the text is kept


@pytest.mark.parametrize("slug", ["avvikelse", "lex-sarah", "klagomal"])
def test_every_staff_form_offers_the_choice_and_the_concerned_staff(login_as, slug):
    form = login_as("erik").get(f"/rapportera/{slug}").get_data(as_text=True)
    for name in ("on_behalf", "reporter_user_id", "reporter_name", "concerned_user_ids"):
        assert f'name="{name}"' in form
    assert "Anna Andersson" in form and "Birgitta Berg" not in form  # the board reads statistics only


def test_concerned_staff_named_at_filing_are_stored_and_not_told(login_as):
    anna = login_as("anna")
    with frozen(NOW):
        response = post_report(anna, "deviation", valid_form("deviation", concerned_user_ids=[str(_id("erik"))]))
    assert response.status_code == 302, response.get_data(as_text=True)
    case = _only_case()
    assert [c.user_id for c in db.session.scalars(select(ConcernedStaff))] == [_id("erik")]
    assert case.concerned_user_ids == {_id("erik")}
    notices = [m.recipients for m in db.session.scalars(select(OutgoingMail)) if "Ny avvikelse" in m.subject]
    assert notices and all("erik@" not in r for r in notices)
    # The reporter's own page does not list them (the handlers may add to the list later).
    own = html_lib.unescape(anna.get(f"/arenden/{case.reference}").get_data(as_text=True))
    assert "<dt>Berörd personal</dt>" not in own
    assert "<dt>Berörd personal</dt>" in html_lib.unescape(
        login_as("sara").get(f"/arenden/{case.reference}").get_data(as_text=True))


def _listed(client, query: str) -> list[int]:
    """The cases the queue page listed (its audit entry; the page itself echoes the search)."""
    assert client.get("/arenden" + query).status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.listed")
                              .order_by(AuditEvent.id.desc()))
    return event.detail["case_ids"]


def _file_concerning(login_as, kind: str, filer: str, concerned: str) -> Case:
    client = login_as(filer)
    data = valid_form(kind, concerned_user_ids=[str(_id(concerned))],
                      description="Nattpersonalen lämnade medicinskåpet olåst under hela natten.")
    with frozen(NOW):
        assert post_report(client, kind, data).status_code == 302
    return db.session.scalar(select(Case).order_by(Case.id.desc()))


@pytest.mark.parametrize("kind", ["deviation", "complaint"])
def test_concerned_staff_never_see_the_case_anywhere(login_as, kind):
    case = _file_concerning(login_as, kind, "anna", "erik")
    other = _file_concerning(login_as, kind, "anna", "ulla")  # concerns someone else: erik sees it
    erik = login_as("erik")
    assert erik.get(f"/arenden/{case.reference}").status_code == 403
    denied = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.view_denied"))
    assert denied is not None and denied.user_name == "Erik Eriksson"
    assert _listed(erik, "") == [other.id]
    for query in (f"?q={case.reference}", "?q=medicinskåpet", "?status=all", f"?kind={kind}"):
        assert case.id not in _listed(erik, query), query
    assert _listed(erik, "?q=medicinskåpet") == [other.id]
    # The start page's count of unassigned cases in his queue leaves it out too.
    from app.cases.queue.services import start_counts
    assert start_counts(db.session.get(User, _id("erik")))["unassigned"] == 1
    # Nor may he be made its handler, nor take it.
    assert erik.post(f"/arenden/{case.reference}/ta", data={"version": case.version}).status_code == 403
    # The officer sees both.
    sara = login_as("sara")
    queue = sara.get("/arenden").get_data(as_text=True)
    assert case.reference in queue and other.reference in queue


def test_a_lex_sarah_report_about_the_officer_is_not_on_her_desk(login_as):
    case = _file_concerning(login_as, "lex_sarah", "anna", "sara")
    sara = login_as("sara")
    assert case.reference not in sara.get("/lex-sarah").get_data(as_text=True)
    assert case.id not in _listed(sara, "?kind=lex_sarah")
    assert sara.get(f"/arenden/{case.reference}").status_code == 403
    # The unit's investigator handles it: the case is not lost.
    assert case.id in _listed(login_as("erik"), "")


def test_the_queue_matches_the_permission_function_for_concerned_staff(login_as):
    from app.auth.permissions import Action, can
    from app.cases.queue.services import in_queue
    case = _file_concerning(login_as, "deviation", "anna", "erik")
    erik = db.session.get(User, _id("erik"))
    assert not can(erik, Action.VIEW_CASE, case) and not in_queue(erik, case)
    ulla_case = _file_concerning(login_as, "deviation", "anna", "ulla")
    assert can(erik, Action.VIEW_CASE, ulla_case) and in_queue(erik, ulla_case)


def test_the_handler_names_concerned_staff_after_filing(login_as):
    """erik handles anna's deviation; sara (officer) learns it is about him: she names him, he is
    unassigned and shut out; the journal and the audit log say so; removing him lets him back."""
    anna = login_as("anna")
    with frozen(NOW):
        assert post_report(anna, "deviation", valid_form("deviation")).status_code == 302
    case = _only_case()
    erik = login_as("erik")
    assert erik.post(f"/arenden/{case.reference}/ta", data={"version": case.version}).status_code == 302
    db.session.expire_all()
    case = _only_case()
    sara = login_as("sara")
    page = sara.get(f"/arenden/{case.reference}/berord-personal")
    assert page.status_code == 200 and 'name="concerned_user_ids"' in page.get_data(as_text=True)
    bad = sara.post(f"/arenden/{case.reference}/berord-personal",
                    data={"version": case.version, "concerned_user_ids": ["999999"]})
    assert bad.status_code == 422
    assert "Välj personer ur listan." in error_for(bad.get_data(as_text=True), "concerned_user_ids")
    reporter = sara.post(f"/arenden/{case.reference}/berord-personal",
                         data={"version": case.version, "concerned_user_ids": [str(_id("anna"))]})
    assert reporter.status_code == 422
    db.session.expire_all()
    assert _only_case().concerned_user_ids == frozenset()
    done = sara.post(f"/arenden/{case.reference}/berord-personal",
                     data={"version": case.version, "concerned_user_ids": [str(_id("erik"))]})
    assert done.status_code == 302
    db.session.expire_all()
    case = _only_case()
    assert case.concerned_user_ids == {_id("erik")} and case.assigned_to_id is None
    event = case.journal[-1]
    assert (event.event, event.detail["added"], event.detail["unassigned"]) == (
        "concerned_staff_changed", ["Erik Eriksson"], True)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.concerned_staff_changed"))
    assert audit.detail["added"] == [_id("erik")]
    assert erik.get(f"/arenden/{case.reference}").status_code == 403
    assert erik.get(f"/arenden/{case.reference}/berord-personal").status_code == 403
    page = html_lib.unescape(sara.get(f"/arenden/{case.reference}").get_data(as_text=True))
    assert "<dt>Berörd personal</dt>" in page and "Tillagda: Erik Eriksson" in page
    assert sara.post(f"/arenden/{case.reference}/berord-personal",
                     data={"version": case.version, "concerned_user_ids": []}).status_code == 302
    assert erik.get(f"/arenden/{case.reference}").status_code == 200


def test_concerned_staff_lose_the_actions_of_the_case(login_as):
    """erik is responsible for an action on anna's deviation; once the report is known to concern
    him, the action is gone from his lists and its page, and his reminders leave it out."""
    from datetime import date

    from app.actions import services as actions
    from app.actions.models import ActionType
    from app.actions.reminders import due_items
    from app.cases.casework import services as casework
    anna = login_as("anna")
    with frozen(NOW):
        assert post_report(anna, "deviation", valid_form("deviation")).status_code == 302
    case = _only_case()
    sara = db.session.get(User, _id("sara"))
    type_id = db.session.scalar(select(ActionType.id).order_by(ActionType.id))
    with frozen(NOW):
        action = actions.add_action(sara, case.reference, type_id=type_id,
                                    description="Se över rutinen för nattens rond.",
                                    responsible_id=_id("erik"), due_on=date(2026, 3, 3))
    erik = login_as("erik")
    assert f"/atgarder/{action.id}" in erik.get("/atgarder").get_data(as_text=True)
    assert [item for user, item in due_items(date(2026, 3, 10)) if user.id == _id("erik")]
    casework.set_concerned_staff(sara, case.reference, user_ids=[_id("erik")], expected_version=_only_case().version)
    for page in ("/atgarder", "/atgarder/enheter", "/atgarder/forsenade", "/atgarder/uppfoljning"):
        assert f"/atgarder/{action.id}" not in erik.get(page).get_data(as_text=True), page
    assert erik.get(f"/atgarder/{action.id}").status_code == 403
    assert not [item for user, item in due_items(date(2026, 3, 10)) if user.id == _id("erik")]
    # Nor on his start page: the counts and the list of his open actions.
    from app.actions.queries import counts, my_open_actions
    erik_user = db.session.get(User, _id("erik"))
    assert my_open_actions(erik_user) == []
    assert counts(erik_user, date(2026, 3, 10))["mine"] == 0
    assert counts(erik_user, date(2026, 3, 10))["my_overdue"] == 0
    assert f"/atgarder/{action.id}" not in erik.get("/").get_data(as_text=True)
