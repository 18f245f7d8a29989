"""The nudge at intake (issue 13 point 12): a deviation with a category that describes abuse, or
that the reporter marks as possibly a missförhållande, is not stored at once; the reporter is
asked whether to report it under lex Sarah instead, and the choice is theirs."""

import re
from datetime import date

from sqlalchemy import select

from app.cases.models import Attachment, Case, Category, JournalEvent
from app.extensions import db
from app.intake.drafts import ReportDraft
from tests.intake.conftest import PDF, counts, error_for, post_report, stored_files, valid_form

HEADING = "Kan detta vara ett missförhållande?"
TO_LEX_SARAH = "Rapportera som lex Sarah"
AS_DEVIATION = "Skicka som avvikelse ändå"
TEXT = "Brukaren berättade att en medarbetare tog pengar ur hans plånbok under kvällsbesöket."


def _category_id(kind: str, name: str) -> int:
    return db.session.scalar(select(Category.id).where(Category.kind == kind, Category.name == name))


def _abuse_form(**overrides) -> dict:
    values = {"description": TEXT, "category_ids": [str(_category_id("deviation", "Ekonomiska övergrepp"))],
              **overrides}
    return valid_form("deviation", **values)


def _nudge_shown(html: str) -> bool:
    return HEADING in html


def _cases() -> list[Case]:
    db.session.expire_all()
    return list(db.session.scalars(select(Case).order_by(Case.id)))


def _draft(user_name: str, kind: str) -> ReportDraft | None:
    from app.auth.models import User
    user = db.session.scalar(select(User).where(User.username == user_name))
    return db.session.scalar(select(ReportDraft).where(ReportDraft.user_id == user.id, ReportDraft.kind == kind))


def test_an_abuse_category_shows_the_nudge_and_stores_nothing(app, login_as):
    anna = login_as("anna")
    response = post_report(anna, "deviation", _abuse_form())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _nudge_shown(html)
    # Found by role and name: a heading, two buttons, and the notice takes the focus.
    assert re.search(rf'<h2 id="nudge-heading"[^>]*>{re.escape(HEADING)}</h2>', html)
    assert re.search(rf'<button[^>]*name="nudge_choice" value="lex_sarah"[^>]*>{TO_LEX_SARAH}</button>', html)
    assert re.search(rf'<button[^>]*name="nudge_choice" value="deviation"[^>]*>{AS_DEVIATION}</button>', html)
    assert 'role="region"' in html and 'aria-labelledby="nudge-heading"' in html
    assert 'id="nudge" tabindex="-1"' in html
    assert "Ekonomiska övergrepp" in html[html.find(HEADING):html.find(TO_LEX_SARAH)]  # why it asks
    # Everything typed is kept in the form.
    assert TEXT in html
    assert counts() == {"Case": 0, "ComplaintDetails": 0, "JournalEvent": 0, "Attachment": 0, "OutgoingMail": 0}
    assert stored_files(app) == []


def test_the_ticked_box_shows_the_nudge(login_as):
    anna = login_as("anna")
    form = valid_form("deviation", description=TEXT, possible_misconduct="y")  # an ordinary category
    response = post_report(anna, "deviation", form)
    assert response.status_code == 200 and _nudge_shown(response.get_data(as_text=True))
    assert _cases() == []


def test_an_ordinary_deviation_is_filed_without_the_nudge(login_as):
    anna = login_as("anna")
    page = anna.get("/rapportera/avvikelse").get_data(as_text=True)
    assert "Detta kan vara ett missförhållande (lex Sarah)" in page and not _nudge_shown(page)
    response = post_report(anna, "deviation", valid_form("deviation"))
    assert response.status_code == 302
    (case,) = _cases()
    assert (case.kind, case.possible_misconduct) == ("deviation", False)
    assert [e.event for e in case.journal] == ["filed"]


def test_the_other_forms_never_nudge(login_as):
    anna = login_as("anna")
    form = valid_form("lex_sarah", category_ids=[str(_category_id("lex_sarah", "Ekonomiska övergrepp"))])
    response = post_report(anna, "lex_sarah", form)
    assert response.status_code == 302
    assert [c.kind for c in _cases()] == ["lex_sarah"]


def test_sending_as_a_deviation_anyway_stores_one_deviation_with_the_flag(login_as):
    anna = login_as("anna")
    response = post_report(anna, "deviation", _abuse_form(possible_misconduct="y", nudge_choice="deviation"))
    assert response.status_code == 302 and "/rapportera/kvitto/AV-" in response.headers["Location"]
    (case,) = _cases()
    assert (case.kind, case.description, case.possible_misconduct) == ("deviation", TEXT, True)
    assert [c.name for c in case.categories] == ["Ekonomiska övergrepp"]
    events = [(e.event, e.text) for e in case.journal]
    assert events[0][0] == "filed"
    assert events[1][0] == "possible_misconduct"
    assert events[1][1] == ("Kan vara ett missförhållande (lex Sarah): rapportören markerade att det kan vara ett "
                            "missförhållande och kategorin beskriver övergrepp (Ekonomiska övergrepp). Rapportören "
                            "fick frågan om att rapportera enligt lex Sarah och skickade den som avvikelse.")


def test_filed_without_the_question_the_journal_does_not_say_it_was_asked(login_as):
    """Another caller of the service (the demo data, an import) files at once; the journal keeps why."""
    from app.auth.models import User
    from app.intake import services
    anna = db.session.scalar(select(User).where(User.username == "anna"))
    form = _abuse_form()
    data = {**form, "unit_id": int(form["unit_id"]), "category_ids": [int(i) for i in form["category_ids"]],
            "occurred_on": date(2026, 3, 2), "occurred_time": None}
    case = services.file_report(anna, "deviation", data)
    assert [(e.event, e.text) for e in case.journal][1] == (
        "possible_misconduct", "Kan vara ett missförhållande (lex Sarah): kategorin beskriver övergrepp "
                               "(Ekonomiska övergrepp).")


def test_an_abuse_category_without_the_box_is_journaled_but_not_flagged_by_the_reporter(login_as):
    anna = login_as("anna")
    post_report(anna, "deviation", _abuse_form(nudge_choice="deviation"))
    (case,) = _cases()
    assert case.possible_misconduct is False
    assert [e.event for e in case.journal] == ["filed", "possible_misconduct"]


def test_reporting_as_lex_sarah_carries_the_text_into_the_lex_sarah_form(login_as):
    anna = login_as("anna")
    anna.post("/rapportera/avvikelse/utkast", data=_abuse_form())  # the form's script kept a draft
    response = post_report(anna, "deviation", _abuse_form(client_name="K. L.", nudge_choice="lex_sarah"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/rapportera/lex-sarah")
    assert _cases() == []  # nothing filed yet: the reporter chooses what the report concerns
    assert _draft("anna", "deviation") is None  # the text moved, it is not in two places
    page = anna.get("/rapportera/lex-sarah").get_data(as_text=True)
    assert TEXT in page and "K. L." in page
    assert "Det du skrev i avvikelsen finns nu här" in page
    # The same category, ticked in the lex Sarah list.
    lex_sarah_category = _category_id("lex_sarah", "Ekonomiska övergrepp")
    assert re.search(rf'value="{lex_sarah_category}"[^>]*checked|checked[^>]*value="{lex_sarah_category}"', page)

    carried = _draft("anna", "lex_sarah").fields
    response = post_report(anna, "lex_sarah", {**{k: v if len(v) > 1 else v[0] for k, v in carried.items()},
                                               "lex_sarah_type": "misconduct"})
    assert response.status_code == 302
    (case,) = _cases()
    assert (case.kind, case.description, case.client_name) == ("lex_sarah", TEXT, "K. L.")
    assert [c.name for c in case.categories] == ["Ekonomiska övergrepp"]


def test_choosing_lex_sarah_says_that_files_must_be_chosen_again(app, login_as):
    anna = login_as("anna")
    response = post_report(anna, "deviation", _abuse_form(), files=[("foto.pdf", PDF)])
    html = response.get_data(as_text=True)
    assert _nudge_shown(html) and "foto.pdf" in html
    assert "har inte sparats" in html
    assert stored_files(app) == [] and counts()["Attachment"] == 0
    response = post_report(anna, "deviation", _abuse_form(nudge_choice="lex_sarah"), files=[("foto.pdf", PDF)])
    page = anna.get(response.headers["Location"]).get_data(as_text=True)
    assert "foto.pdf" in page and "Välj filerna igen" in page
    assert stored_files(app) == []


def test_sending_as_a_deviation_keeps_the_files_chosen_with_the_button(app, login_as):
    anna = login_as("anna")
    response = post_report(anna, "deviation", _abuse_form(nudge_choice="deviation"), files=[("foto.pdf", PDF)])
    assert response.status_code == 302
    (case,) = _cases()
    assert [a.original_name for a in db.session.scalars(select(Attachment))] == ["foto.pdf"]
    assert case.kind == "deviation"


def test_a_category_unmarked_by_the_admin_no_longer_nudges(login_as):
    category = db.session.get(Category, _category_id("deviation", "Ekonomiska övergrepp"))
    category.describes_abuse = False
    db.session.commit()
    response = post_report(login_as("anna"), "deviation", _abuse_form())
    assert response.status_code == 302


def test_an_unknown_category_is_refused_before_any_nudge(login_as):
    anna = login_as("anna")
    for choice in ("", "lex_sarah", "deviation"):
        response = post_report(anna, "deviation", valid_form("deviation", category_ids=["999999"],
                                                             possible_misconduct="y", nudge_choice=choice))
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert error_for(html, "category_ids") == "Välj kategorier ur listan."
        assert not _nudge_shown(html)
    assert _cases() == [] and _draft("anna", "lex_sarah") is None
    assert db.session.scalar(select(JournalEvent.id)) is None


def test_an_unknown_choice_is_a_bad_request(login_as):
    anna = login_as("anna")
    response = post_report(anna, "deviation", _abuse_form(nudge_choice="complaint"))
    assert response.status_code == 400
    assert _cases() == []


def test_other_errors_are_shown_before_the_nudge(login_as):
    anna = login_as("anna")
    response = post_report(anna, "deviation", _abuse_form(description="kort"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and not _nudge_shown(html)
    assert _cases() == []


def test_the_form_hints_before_sending_when_a_script_runs(login_as):
    """Progressive enhancement: nudge.js shows the hint when an abuse category is ticked; the
    page names those categories and loads the script (its own file: the CSP allows no inline script)."""
    page = login_as("anna").get("/rapportera/avvikelse").get_data(as_text=True)
    abuse = set(db.session.scalars(select(Category.id).where(Category.kind == "deviation",
                                                             Category.describes_abuse)))
    match = re.search(r'id="nudge-hint" role="status" hidden data-abuse-ids="([\d,]*)"', page)
    assert match and {int(i) for i in match.group(1).split(",")} == abuse and len(abuse) == 4
    assert '<script src="/static/js/nudge.js" defer></script>' in page
    assert "nudge-hint" not in login_as("anna").get("/rapportera/lex-sarah").get_data(as_text=True)


def test_only_the_deviation_form_takes_an_answer_to_the_nudge(login_as):
    response = post_report(login_as("anna"), "lex_sarah", valid_form("lex_sarah", nudge_choice="deviation"))
    assert response.status_code == 400
    assert _cases() == []


def test_a_category_the_lex_sarah_list_lacks_is_named_for_choosing_again(login_as):
    other = db.session.get(Category, _category_id("lex_sarah", "Ekonomiska övergrepp"))
    other.active = False
    db.session.commit()
    anna = login_as("anna")
    response = post_report(anna, "deviation", _abuse_form(nudge_choice="lex_sarah"))
    page = anna.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lex Sarah-listan har inte kategorin Ekonomiska övergrepp. Välj kategori igen." in page
    assert _draft("anna", "lex_sarah").fields.get("category_ids", []) == []
    assert _cases() == []
