"""Every lex Sarah endpoint with every role. A refused person gets 403 and an audit entry;
nothing is changed by a refused request.

The case is a lex Sarah report anna filed in Boendestöd (department Vuxna: erik's),
waiting for judgment. ulla investigates Unga, so she is an investigator without a part in it.
"""

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.extensions import db
from app.lexsarah.models import LexSarahInforming, LexSarahIvo, LexSarahJudgment, ProviderSettings
from tests.conftest import login
from tests.lexsarah.helpers import make_case, set_provider, user

ROLES = ("anonymous", "anna", "ulla", "erik", "admin", "sara")
OK = "ok"  # accepted: anything but 403, a login redirect or 5xx (a POST of an empty form answers 422 or 302)


def only(allowed: dict[str, object]) -> dict[str, object]:
    return {role: "login" if role == "anonymous" else allowed.get(role, 403) for role in ROLES}


# (method, path under /lex-sarah, expected per role)
ENDPOINTS = [
    ("GET", "", only({"sara": 200})),
    ("GET", "/{ref}/bedomning", only({"sara": 200})),
    # A form without the case's version (the page always puts it in) is 400, as on every command.
    ("POST", "/{ref}/bedomning", only({"sara": 400})),
    ("GET", "/{ref}/forslag", only({"sara": 200, "erik": 200})),
    ("POST", "/{ref}/forslag", only({"sara": 400, "erik": 400})),
    ("GET", "/{ref}/anmalan", only({"sara": 200})),
    ("POST", "/{ref}/anmalan", only({"sara": 400})),
    ("POST", "/{ref}/anmalan/skickad", only({"sara": 400})),
    ("POST", "/{ref}/anmalan/signera", only({"sara": 400})),
    ("POST", "/{ref}/anmalan/ivo-diarienummer", only({"sara": 400})),
    ("POST", "/{ref}/anmalan/komplettering", only({"sara": 400})),
    ("POST", "/{ref}/anmalan/komplettering-skickad", only({"sara": 400})),
    ("POST", "/{ref}/anmalan/ej-anmalan", only({"sara": 400})),
    ("POST", "/{ref}/anmalan/utredning-skickad", only({"sara": 400})),
    ("POST", "/{ref}/anmalan/ivo-beslut", only({"sara": 400})),
    ("GET", "/{ref}/anmalan/dokument", only({"sara": 200})),
    ("GET", "/{ref}/anmalan.pdf", only({"sara": 200})),
    # The investigation document: whoever may read the case (the officer, the unit's investigator, admins).
    ("GET", "/{ref}/utredning-dokument", only({"sara": 200, "erik": 200, "admin": 200})),
    ("GET", "/{ref}/utredning.pdf", only({"sara": 200, "erik": 200, "admin": 200})),
    ("GET", "/{ref}/information", only({"sara": 200, "erik": 200})),
    ("POST", "/{ref}/information", only({"sara": 400, "erik": 400})),
    # The case waits for judgment: too late for a ställningstagande (409); a form without its version is 400.
    ("GET", "/{ref}/stallningstagande", only({"sara": 409})),
    ("GET", "/{ref}/skydd", only({"sara": 200, "erik": 200})),
    ("POST", "/{ref}/skydd", only({"sara": 400, "erik": 400})),
    ("GET", "/{ref}/utredning/other/inget-att-anteckna", only({"sara": 200, "erik": 200})),
    ("POST", "/{ref}/utredning/other/inget-att-anteckna", only({"sara": 400, "erik": 400})),
    ("POST", "/{ref}/stallningstagande", only({"sara": 400})),
    # Proposing a ställningstagande (an investigator handling it, or the officer) and declining one.
    ("GET", "/{ref}/stallningstagande/forslag", only({"sara": 409, "erik": 409})),
    ("POST", "/{ref}/stallningstagande/forslag", only({"sara": 400, "erik": 400})),
    ("POST", "/{ref}/stallningstagande/forslag/avboj", only({"sara": 400})),
    ("GET", "/installningar", only({"admin": 200, "sara": 200})),
    ("POST", "/installningar", only({"admin": 422, "sara": 422})),
]


def test_the_table_lists_every_lex_sarah_endpoint(app):
    listed = {(method, "/lex-sarah" + path.replace("{ref}", "<reference>").replace("/other/", "/<section>/"))
              for method, path, _ in ENDPOINTS}
    routes = {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("lexsarah.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == listed


def _rows() -> int:
    return sum(db.session.scalar(select(func.count()).select_from(model))
               for model in (LexSarahJudgment, LexSarahIvo, LexSarahInforming, ProviderSettings))


@pytest.mark.parametrize(("method", "path", "expected"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
def test_every_endpoint_with_every_role(demo, method, path, expected):
    set_provider()
    case = make_case()
    url = "/lex-sarah" + path.format(ref=case.reference)
    problems = []
    for role in ROLES:  # the refused first, then those who may (whose POST may change something)
        client = demo.test_client()
        if role != "anonymous":
            assert login(client, role).status_code == 302
        rows_before = _rows()
        denied_before = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                          .where(AuditEvent.action == "permission.denied"))
        response = client.get(url) if method == "GET" else client.post(url, data={})
        denials = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "permission.denied")
                                     .order_by(AuditEvent.id).offset(denied_before)).all()
        status, want = response.status_code, expected[role]
        if want == "login":
            if not (status == 302 and response.headers["Location"].startswith("/logga-in")):
                problems.append(f"{role}: expected the login page, got {status}")
        elif status != want:
            problems.append(f"{role}: expected {want}, got {status}")
        if want == 403:
            if [d.user_id for d in denials] != [user(role).id]:
                problems.append(f"{role}: refused without exactly one audit entry")
            elif not (denials[0].detail["method"] == method and denials[0].detail["endpoint"].startswith("lexsarah.")):
                problems.append(f"{role}: the audit entry does not name the request")
            if _rows() != rows_before:
                problems.append(f"{role}: a refused request changed something")
        elif denials:
            problems.append(f"{role}: an audit entry for a refusal that did not happen")
    assert not problems, problems


@pytest.mark.parametrize("role", ["anna", "erik", "ulla", "admin"])
def test_the_refusal_names_the_case_in_the_log(demo, role, login_as):
    case = make_case()
    login_as(role).post(f"/lex-sarah/{case.reference}/anmalan/skickad",
                        data={"send-sent_via": "post", "send-sent_on": "2026-03-20", "send-ivo_reference": "1"})
    [denied] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "permission.denied")).all()
    assert (denied.object_type, denied.object_id) == ("case", case.reference)
    assert denied.detail["action"] == "notify_ivo"


def test_an_unknown_reference_or_another_kind_is_404(demo, login_as):
    from app.cases.filing import open_case
    anna = user("anna")
    deviation = open_case(kind="deviation", unit=anna.units[0], reporter=anna, categories=[],
                          summary="Uteblivet besök", description="Hemtjänsten kom inte.")
    db.session.commit()
    sara = login_as("sara")
    assert sara.get("/lex-sarah/LS-2026-9999/bedomning").status_code == 404
    assert sara.get(f"/lex-sarah/{deviation.reference}/anmalan").status_code == 404


def test_reads_are_logged(demo, login_as):
    case = make_case()
    sara = login_as("sara")
    for path in ("bedomning", "anmalan", "anmalan/dokument", "anmalan.pdf", "information"):
        assert sara.get(f"/lex-sarah/{case.reference}/{path}").status_code == 200
    sara.get("/lex-sarah")
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user("sara").id)
                                 .where(AuditEvent.action.startswith("lexsarah."))).all()
    assert actions.count("lexsarah.viewed") == 3
    assert actions.count("lexsarah.document_viewed") == 2
    assert actions.count("lexsarah.desk_viewed") == 1
