"""The case page's second round (issue 17): less template work for the same markup. The add-action
form nobody has typed into is written out (actions/_add_fields.html) instead of being built as a
WTForms form and rendered field by field; these tests hold the two renderings identical, typed
names escaped alike, and the WTForms form still used where it shows what was typed."""

import re

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import select

from app.actions import routes as action_routes
from app.actions.models import ActionType
from app.auth.models import User
from app.cases.models import Case
from app.extensions import db
from app.workflow import Status
from tests.cases.helpers import file_case, user


@pytest.fixture
def erik(login_as):
    return login_as("erik")


def _being_investigated() -> Case:
    case = file_case()
    case.status = Status.INVESTIGATING
    case.triage_decision = "investigate"
    case.assigned_to = user("erik")
    db.session.commit()
    return case


def _typed_names() -> None:
    """An action type and a person's title as someone might type them, markup included."""
    db.session.add(ActionType(name='Samtal <b>"&\' med personal'))
    user("erik").title = "Chef <script>alert(1)</script> & co"
    db.session.commit()


def _panels(app, case: Case) -> tuple[str, str]:
    """The actions panel with the add form written out, and with the WTForms form, in one request
    (so with one CSRF token)."""
    with app.test_request_context(f"/arenden/{case.reference}"):
        login_user(db.session.scalar(select(User).where(User.username == "erik")))
        written = action_routes._panel_data(case, None)
        assert written["form"] is None and written["add"] is not None
        wtforms = {**written, "add": None, "form": action_routes._add_form(case)}
        return (render_template("actions/_case_panel.html", case=case, panel_data=written),
                render_template("actions/_case_panel.html", case=case, panel_data=wtforms))


@pytest.mark.parametrize("csrf", [True, False])
def test_the_written_out_add_form_is_the_wtforms_forms_markup(app, demo, csrf):
    app.config["WTF_CSRF_ENABLED"] = csrf
    _typed_names()
    case = _being_investigated()
    written, wtforms = _panels(app, case)
    assert written == wtforms
    assert ("action-csrf_token" in written) is csrf
    # What was typed is escaped, not markup.
    assert "<script>" not in written and "Chef &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in written
    assert "Samtal &lt;b&gt;&#34;&amp;&#39; med personal" in written


def test_the_written_out_add_form_is_the_same_in_english(app, demo):
    _typed_names()
    case = _being_investigated()
    with app.test_request_context(f"/arenden/{case.reference}", headers={"Accept-Language": "en"}):
        login_user(db.session.scalar(select(User).where(User.username == "erik")))
        data = action_routes._panel_data(case, None)
        written = render_template("actions/_case_panel.html", case=case, panel_data=data)
        wtforms = render_template("actions/_case_panel.html", case=case,
                                  panel_data={**data, "add": None, "form": action_routes._add_form(case)})
    assert written == wtforms


def test_the_case_page_builds_no_wtforms_form_for_adding_an_action(erik, monkeypatch):
    reference = _being_investigated().reference

    def built(*args, **kwargs):
        raise AssertionError("an ActionForm was built for the case page")

    monkeypatch.setattr(action_routes, "ActionForm", built)
    response = erik.get(f"/arenden/{reference}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert re.search(r'<select id="action-type_id" name="action-type_id" required>', text)
    assert 'name="action-responsible_id"' in text and 'name="action-due_on"' in text


def test_an_add_form_with_errors_is_still_the_wtforms_form_with_what_was_typed(erik):
    reference = _being_investigated().reference
    response = erik.post(f"/arenden/{reference}/atgarder", data={"action-description": "Ring <b>Anna</b>"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Ring &lt;b&gt;Anna&lt;/b&gt;" in text
    assert 'aria-invalid="true"' in text and "Välj en typ av åtgärd." in text


def test_the_attachments_and_the_feedback_are_read_before_the_audit_commit(erik):
    """The page reads them in any case: with the case, before the audit entry of the read is
    committed, not lazily while the template renders (a second transaction on PostgreSQL)."""
    from tests.statements import statements as counted

    reference = _being_investigated().reference
    erik.get(f"/arenden/{reference}")
    with counted(fresh_session=True) as seen:
        response = erik.get(f"/arenden/{reference}")
    assert response.status_code == 200
    # On PostgreSQL the entry and the chain head's move are one statement that starts with WITH.
    audit = next(i for i, s in enumerate(seen) if "INSERT INTO audit_events" in s)
    for table in ("attachments", "case_feedback"):
        read = [i for i, s in enumerate(seen) if s.startswith("SELECT") and f"FROM {table} " in s]
        assert len(read) == 1 and read[0] < audit, "\n".join(seen)


def test_the_records_links_are_those_url_for_builds(app, erik):
    """The entries' and the sections' links come from URLs built once per page: each is still
    exactly what url_for builds for it."""
    from flask import url_for

    from app.cases.models import RECORD_SECTIONS, InvestigationEntry
    from tests.test_speed_casepage import _add_records

    case = file_case(kind="lex_sarah")
    case.status = Status.INVESTIGATING
    case.triage_decision = "investigate"
    case.assigned_to = user("erik")
    db.session.commit()
    reference = case.reference
    _add_records(reference, 2)
    text = erik.get(f"/arenden/{reference}").get_data(as_text=True)
    entries = db.session.scalars(select(InvestigationEntry.id).where(InvestigationEntry.case_id == case.id)).all()
    assert entries
    with app.test_request_context():
        wanted = [url_for("cases.add_entry", reference=reference, rattar=e) for e in entries]
        wanted += [url_for("cases.add_entry", reference=reference, avsnitt=s) for s in RECORD_SECTIONS]
        wanted += [url_for("lexsarah.section_note", reference=reference, section=s) for s in RECORD_SECTIONS
                   if s != "what_happened"]  # the section with entries has no "nothing to record"
    for href in wanted:
        assert f'href="{href}"' in text, href


def test_the_action_cards_links_are_those_url_for_builds(app, erik):
    """The cards link their action through a URL built once per list: still exactly url_for's."""
    from flask import url_for

    from app.actions.models import CaseAction
    from tests.test_speed_casepage import _add_records

    case = _being_investigated()
    _add_records(case.reference, 2)
    ids = db.session.scalars(select(CaseAction.id).where(CaseAction.case_id == case.id)).all()
    assert len(ids) == 2
    for page in (f"/arenden/{case.reference}", f"/arenden/{case.reference}/atgarder",
                 "/atgarder/enheter?status=all"):
        text = erik.get(page).get_data(as_text=True)
        with app.test_request_context():
            for action_id in ids:
                assert f'<a href="{url_for("actions.show", action_id=action_id)}">' in text, (page, action_id)
