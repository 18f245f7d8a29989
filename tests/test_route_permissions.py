"""Every route, with every role: who gets the page, who is refused, who is sent to log in.

The table below lists every endpoint of the application explicitly. A new route
makes `test_every_endpoint_has_expectations` fail until its author adds a row:
that is the point, so that nobody adds a page without deciding who may see it.
"""

import pytest
from flask import url_for
from sqlalchemy import select

from app.actions.models import ActionType
from app.auth.guard import is_public_endpoint
from app.auth.models import User
from app.cases.models import Category
from app.extensions import db
from app.org.models import Unit
from tests.conftest import login

# staff, investigator, officer, admin, and the board role (the nämnd's secretary: statistics only)
ROLES = ("anonymous", "anna", "erik", "sara", "admin", "nils")

# What a request gets. A number is the exact status of a GET. For POST:
LOGIN = "login"      # redirected to the login page (not logged in)
ALLOWED = "allowed"  # the route accepts this person: anything but 403 or 5xx (e.g. 422 for the empty form)
REFUSED = 403

# Endpoints reachable without logging in. Adding one is a deliberate act: change this set.
PUBLIC = {"auth.login", "auth.two_factor_login", "auth.unlock", "main.healthz", "main.set_language", "static",
          "public.complaint", "public.status", "info.accessibility", "info.personal_data"}


def everyone(result):
    return dict.fromkeys(ROLES, result)


def logged_in(result):
    return {**everyone(result), "anonymous": LOGIN}


def working(result):
    """Everyone logged in who works in the service: all roles but the read-only board role."""
    return {**logged_in(result), "nils": REFUSED}


def only(roles: set[str], result):
    return {role: LOGIN if role == "anonymous" else result if role in roles else REFUSED for role in ROLES}


ADMIN = {"admin"}

EXPECTED = {
    # administration
    "admin.index": only(ADMIN, 302),
    "admin.users": only(ADMIN, 200),
    "admin.new_user": only(ADMIN, 200),
    "admin.edit_user": only(ADMIN, 200),
    "admin.units": only(ADMIN, 200),
    "admin.new_unit": only(ADMIN, 200),
    "admin.edit_unit": only(ADMIN, 200),
    "admin.personal_data_text": only(ADMIN, 200),
    "admin.set_unit_active": only(ADMIN, ALLOWED),
    "admin.category_lists": only(ADMIN, 200),
    "admin.edit_category": only(ADMIN, 200),
    "admin.audit_log": only(ADMIN, 200),
    "admin.outbox": only(ADMIN, 200),
    # accounts
    "auth.login": {**everyone(302), "anonymous": 200},  # a logged-in person is sent to their start page
    "auth.logout": logged_in(ALLOWED),
    "auth.change_password": logged_in(200),
    # two-factor login (tests/auth/test_two_factor.py): the code page without a correct password
    # first sends to the login page; nobody in the demo has enrolled, so there are no codes to renew
    "auth.two_factor_login": everyone(302),
    "auth.two_factor": logged_in(200),
    "auth.two_factor_enrol": logged_in(200),
    "auth.two_factor_recovery_codes": logged_in(302),
    "auth.reset_two_factor": only(ADMIN, ALLOWED),
    "auth.unlock": everyone(400),  # the demo has no valid unlock link (see tests/auth/test_account_lock.py)
    # everyone
    "main.start": logged_in(200),
    "main.healthz": everyone(200),
    "main.set_language": everyone(ALLOWED),
    "static": everyone(200),
    # staff intake: everyone logged in files reports and follows their own. The receipt is the
    # reporter's alone; the demo has no attachment, so that one is 404 for everyone logged in
    # (who may download which attachment is tested in tests/intake/test_download.py).
    "intake.choose": working(200),
    "intake.report": working(200),
    "intake.receipt": only({"anna"}, 200),
    "intake.my_reports": working(200),
    # the reporter adds information to their own report (the demo case is anna's; empty text: 422)
    "intake.add_information": only({"anna"}, ALLOWED),
    # the server-side draft of a report being written: its writer's own
    "intake.save_draft": working(ALLOWED),
    "intake.discard_draft": working(ALLOWED),
    "intake.download": logged_in(404),
    # the public complaint form and its follow-up (no login)
    "public.complaint": everyone(200),
    "public.status": everyone(200),
    # the accessibility statement and the personal data page, linked from every footer
    "info.accessibility": everyone(200),
    "info.personal_data": everyone(200),
    # the case queue and case work, on a received deviation anna filed in Boendestöd (_demo_case;
    # who may see which case is tested in tests/cases). 409: the state machine refuses the move now.
    "cases.queue": only({"erik", "sara", "admin"}, 200),
    "cases.case": working(200),  # anna gets the reporter's limited view
    "cases.assign": only({"erik", "sara"}, 200),
    "cases.take": only({"erik", "sara"}, ALLOWED),
    "cases.disqualify": only({"erik", "sara"}, 200),
    "cases.concerned_staff": only({"erik", "sara"}, 200),  # jäv: the staff the report concerns
    "cases.triage": only({"erik", "sara"}, 200),
    "cases.answer": only({"erik", "sara"}, 409),  # a deviation is not answered
    "cases.feedback": only({"erik", "sara"}, 200),
    "cases.close": only({"erik", "sara"}, 409),  # not before triage
    "cases.reopen": only({"sara"}, 409),  # not closed; admins read cases but never work them
    # the investigation record, hand-overs and deadlines, on the same received deviation
    "cases.add_entry": only({"erik", "sara"}, 200),
    "cases.causes": only({"erik", "sara"}, 200),
    "cases.risk": only({"erik", "sara"}, 200),
    "cases.link_case": only({"erik", "sara"}, 200),
    "cases.unlink_case": only({"erik", "sara"}, 200),
    "cases.finish_investigation": only({"erik", "sara"}, 409),  # lex Sarah only
    "cases.hand_over": only({"erik", "sara"}, 409),  # lex Sarah judged "none" only
    "cases.escalate": only({"erik", "sara"}, 200),
    "cases.acknowledge": only({"erik", "sara"}, 409),  # complaints only
    "cases.deadline_settings": only(ADMIN, 200),
    # actions, on an action erik answers for in the demo case (_demo_action; every role and the
    # responsible person's own rights are tested in tests/actions/test_permissions.py)
    "actions.mine": working(200),
    "actions.units": only({"erik", "sara", "admin"}, 200),
    "actions.overdue": working(200),
    "actions.awaiting_follow_up": working(200),
    "actions.case_actions": only({"erik", "sara", "admin"}, 200),  # anna filed it: no case view
    "actions.add_action": only({"erik", "sara"}, ALLOWED),
    "actions.show": only({"erik", "sara", "admin"}, 200),
    "actions.edit": only({"erik", "sara"}, 200),
    "actions.change_status": only({"erik", "sara"}, ALLOWED),
    "actions.record_follow_up": only({"erik", "sara"}, ALLOWED),
    "actions.action_types": only(ADMIN, 200),
    "actions.edit_action_type": only(ADMIN, 200),
    # lex Sarah, on a report anna filed in Boendestöd that waits for judgment (_demo_lex_sarah_case;
    # tests/lexsarah/test_endpoints.py also checks the audit entry of every refusal)
    "lexsarah.desk": only({"sara"}, 200),
    "lexsarah.judgment": only({"sara"}, 200),
    "lexsarah.proposal": only({"erik", "sara"}, 200),
    "lexsarah.notification": only({"sara"}, 200),
    "lexsarah.record_sent": only({"sara"}, ALLOWED),
    "lexsarah.finalise": only({"sara"}, ALLOWED),
    "lexsarah.record_ivo_reference": only({"sara"}, ALLOWED),
    "lexsarah.record_supplement_request": only({"sara"}, ALLOWED),
    "lexsarah.record_supplement_reply": only({"sara"}, ALLOWED),
    "lexsarah.record_not_notifying": only({"sara"}, ALLOWED),
    "lexsarah.record_investigation_sent": only({"sara"}, ALLOWED),
    "lexsarah.record_ivo_decision": only({"sara"}, ALLOWED),
    "lexsarah.document_html": only({"sara"}, 200),
    "lexsarah.document_pdf": only({"sara"}, 200),
    "lexsarah.investigation_html": only({"erik", "sara", "admin"}, 200),
    "lexsarah.investigation_pdf": only({"erik", "sara", "admin"}, 200),
    "lexsarah.informing": only({"erik", "sara"}, 200),
    "lexsarah.position": only({"sara"}, ALLOWED),
    "lexsarah.propose_position": only({"erik", "sara"}, ALLOWED),
    "lexsarah.decline_position_proposal": only({"sara"}, ALLOWED),
    "lexsarah.protection": only({"erik", "sara"}, ALLOWED),
    "lexsarah.section_note": only({"erik", "sara"}, ALLOWED),
    "lexsarah.provider_settings": only({"admin", "sara"}, 200),
    # the yearly statistics and the quality report (tests/stats)
    "stats.index": only({"sara", "admin", "nils"}, 200),
    "stats.report_html": only({"sara", "admin", "nils"}, 200),
    "stats.report_pdf": only({"sara", "admin", "nils"}, 200),
    "stats.report_xlsx": only({"sara", "admin", "nils"}, 200),
    "stats.table_csv": only({"sara", "admin", "nils"}, 200),
    # what people write for the yearly chapter (tests/stats/test_chapter_texts.py)
    "stats.texts": only({"sara", "admin"}, 200),
    "stats.adoption": only(ADMIN, 200),
    "stats.data_from": only(ADMIN, 200),
    # the import of earlier years (tests/imports)
    "imports.upload": only(ADMIN, 200),
    "imports.template": only(ADMIN, 200),
    # the JSON API: 401 (JSON), not a redirect, without a session or token (tests/api)
    "api.statistics": {**only({"sara", "admin", "nils"}, 200), "anonymous": 401},
    "api_tokens.index": only(ADMIN, 200),
    "api_tokens.revoke": only(ADMIN, ALLOWED),  # no such token in the demo: 404
    # supervision cases, on IVO's case about Boendestöd that sara registered, with one request
    # open (_demo_supervision_case; tests/supervision checks the steps and the refusals)
    "supervision.overview": only({"erik", "sara", "admin"}, 200),
    "supervision.register": only({"erik", "sara", "admin"}, 200),
    "supervision.add_request": only({"erik", "sara"}, 200),
    "supervision.extend": only({"erik", "sara"}, 200),
    "supervision.reply": only({"erik", "sara"}, 200),
    "supervision.decision": only({"erik", "sara"}, 409),  # not while a request is open
}


def _demo_ids() -> dict[str, object]:
    """A value for every URL parameter, taken from the demo data."""
    return {
        "user_id": db.session.scalar(select(User.id).where(User.username == "anna")),
        "unit_id": db.session.scalar(select(Unit.id).where(Unit.name == "Boendestöd")),
        "category_id": db.session.scalar(select(Category.id).order_by(Category.id)),
        "filename": "css/varna.css",
        "slug": "avvikelse",
        "attachment_id": 999999,
        "type_id": db.session.scalar(select(ActionType.id).order_by(ActionType.id)),
        "year": 2018,
        "key": "lex_sarah",
        "section": "other",
        "token_id": 999999,
        "token": "no-such-link",
    }


def _demo_case() -> str:
    """The reference of a deviation anna filed in Boendestöd (filed on first use)."""
    from app.cases.filing import open_case
    from app.cases.models import Case
    reference = db.session.scalar(select(Case.reference).where(Case.kind == "deviation").order_by(Case.id))
    if reference is None:
        anna = db.session.scalar(select(User).where(User.username == "anna"))
        case = open_case(kind="deviation", unit=anna.units[0], reporter=anna, categories=[],
                         summary="Uteblivet besök", description="Hemtjänsten kom inte.")
        db.session.commit()
        reference = case.reference
    return reference


def _demo_lex_sarah_case() -> str:
    """The reference of a lex Sarah report anna filed in Boendestöd, waiting for judgment (filed on first use)."""
    from app.cases.filing import open_case
    from app.cases.models import Case
    reference = db.session.scalar(select(Case.reference).where(Case.kind == "lex_sarah").order_by(Case.id))
    if reference is None:
        anna = db.session.scalar(select(User).where(User.username == "anna"))
        case = open_case(kind="lex_sarah", unit=anna.units[0], reporter=anna, categories=[],
                         summary="Utebliven läkemedelsgivning", description="Brukaren fick inte sina läkemedel.",
                         lex_sarah_type="misconduct")
        case.status = "awaiting_judgment"
        db.session.commit()
        reference = case.reference
    return reference


def _demo_action() -> int:
    """An action on the demo case that erik answers for (added on first use)."""
    from app.actions import services as actions
    from app.actions.models import CaseAction
    from app.cases.models import Case
    from app.clock import today_local
    identifier = db.session.scalar(select(CaseAction.id).order_by(CaseAction.id))
    if identifier is None:
        case = db.session.scalar(select(Case).where(Case.reference == _demo_case()))
        erik = db.session.scalar(select(User).where(User.username == "erik"))
        identifier = actions.add_action(erik, case.reference, type_id=_demo_ids()["type_id"], description="Ny rutin.",
                                        responsible_id=erik.id, due_on=today_local()).id
    return identifier


def _demo_supervision_case() -> tuple[str, int]:
    """IVO's case about Boendestöd that sara registered, with one open request (made on first use)."""
    from app.clock import today_local
    from app.supervision import services as supervision
    from app.supervision.models import SupervisionRequest
    found = db.session.scalar(select(SupervisionRequest).order_by(SupervisionRequest.id))
    if found is None:
        sara = db.session.scalar(select(User).where(User.username == "sara"))
        today = today_local()
        case = supervision.register(sara, supervision.Registration(
            authority="ivo", authority_reference="3.5.1-1/2026", letter_on=today, subject="activity",
            summary="Tillsyn av Boendestöd", origin="initiative",
            unit_ids=[_demo_ids()["unit_id"]]))
        found = supervision.record_request(sara, case.reference, purpose="statement", requested_on=today,
                                           due_on=today, text="", expected_version=case.version)
    return found.case.reference, found.id


def _url(app, endpoint: str) -> str:
    rule = next(app.url_map.iter_rules(endpoint))
    ids = _demo_ids()
    if endpoint.startswith("cases.") or endpoint in ("intake.receipt", "intake.add_information"):
        ids["reference"] = _demo_case()
    if endpoint.startswith("actions."):
        ids["reference"], ids["action_id"] = _demo_case(), _demo_action()
    if endpoint.startswith("lexsarah."):
        ids["reference"] = _demo_lex_sarah_case()
    if endpoint.startswith("supervision."):
        ids["reference"], ids["request_id"] = _demo_supervision_case()
    missing = rule.arguments - ids.keys()
    if missing:
        pytest.fail(f"{endpoint}: add a demo value for {sorted(missing)} in _demo_ids()")
    with app.test_request_context():
        return url_for(endpoint, **{name: ids[name] for name in rule.arguments})


def _client(app, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, role).status_code == 302
    return client


def _check(response, expected, what: str) -> list[str]:
    """What is wrong with the response, if anything."""
    status, location = response.status_code, response.headers.get("Location", "")
    if status >= 500:
        return [f"{what}: {status}"]
    if expected == LOGIN and not (status == 302 and location.startswith("/logga-in")):
        return [f"{what}: expected a redirect to the login page, got {status} {location}"]
    if expected == ALLOWED and status == 403:
        return [f"{what}: refused"]
    if isinstance(expected, int) and status != expected:
        return [f"{what}: expected {expected}, got {status}"]
    return []


def test_every_endpoint_has_expectations(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unlisted = sorted(endpoints - EXPECTED.keys())
    assert not unlisted, f"add these endpoints to EXPECTED in {__name__}: {unlisted}"
    stale = sorted(EXPECTED.keys() - endpoints)
    assert not stale, f"these endpoints no longer exist; remove them from EXPECTED: {stale}"
    for endpoint, by_role in EXPECTED.items():
        assert set(by_role) == set(ROLES), endpoint


def test_public_endpoints_are_exactly_the_allowlist(app):
    public = {rule.endpoint for rule in app.url_map.iter_rules() if is_public_endpoint(rule.endpoint)}
    assert public == PUBLIC


def test_the_table_agrees_with_the_public_allowlist():
    # A public endpoint never sends anyone to log in; every other one does (the JSON API
    # answers 401 instead of a redirect: a program cannot fill in a login form).
    for endpoint, by_role in EXPECTED.items():
        login_needed = by_role["anonymous"] == (401 if endpoint.startswith("api.") else LOGIN)
        assert login_needed != (endpoint in PUBLIC), endpoint


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_route_with_every_role(demo, board_member, endpoint):
    # One test per endpoint (not per endpoint and role): the demo data is loaded once
    # for every role. Each role gets a fresh client, since a route may log out or
    # change the session.
    app = demo
    if endpoint not in app.view_functions:
        pytest.fail(f"{endpoint} is in EXPECTED but not in the application")
    methods = next(app.url_map.iter_rules(endpoint)).methods
    url = _url(app, endpoint)
    wrong = []
    for role in ROLES:
        expected = EXPECTED[endpoint][role]
        if "GET" in methods:
            wrong += _check(_client(app, role).get(url), expected, f"GET {url} as {role}")
        if "POST" in methods:
            # An empty form must get past (or be stopped at) the permission check.
            post_expected = expected if expected in (LOGIN, REFUSED, ALLOWED) else ALLOWED
            wrong += _check(_client(app, role).post(url, data={}), post_expected, f"POST {url} as {role}")
    assert not wrong, "\n".join(wrong)
