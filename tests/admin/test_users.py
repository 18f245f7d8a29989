"""The admin's account pages: create, validate, edit, deactivate; every change is audited."""

import re

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth import services as accounts
from app.auth.models import User
from app.auth.permissions import PermissionDenied
from app.extensions import db
from app.org.models import Unit
from tests.conftest import login

GOOD_PASSWORD = "korrekt hast batteri"


def _unit(name: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.name == name))


def _user(username: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def _user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _events(action: str, object_id=None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    if object_id is not None:
        query = query.where(AuditEvent.object_type == "user", AuditEvent.object_id == str(object_id))
    return list(db.session.scalars(query))


def _new_user_form(**overrides) -> dict:
    data = {"username": "beata", "full_name": "Beata Berg", "title": "Socialsekreterare",
            "email": "beata@varna.example", "role": "staff", "password": GOOD_PASSWORD,
            "units": [str(_unit("Vuxenstöd").id), str(_unit("Socialpsykiatri").id)]}
    data.update(overrides)
    return data


def _edit_form(user: User, **overrides) -> dict:
    data = {"username": user.username, "full_name": user.full_name, "title": user.title,
            "email": user.email, "role": user.role, "password": "",
            "units": [str(i) for i in sorted(user.unit_ids)], "active": "y" if user.active else ""}
    data.update(overrides)
    if not data["active"]:
        del data["active"]  # an unticked checkbox is absent from the POST
    return data


def _error_for(html: str, field_id: str) -> str:
    """The error text the field macro ties to a field (empty when there is none)."""
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


# --- creating an account -----------------------------------------------------------------

def test_admin_creates_a_user_with_units_who_can_then_log_in(login_as):
    admin = login_as("admin")
    form = admin.get("/admin/anvandare/ny").get_data(as_text=True)
    assert 'name="username"' in form and "Vuxenstöd" in form

    response = admin.post("/admin/anvandare/ny", data=_new_user_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/anvandare")

    beata = _user("beata")
    assert beata is not None
    assert (beata.full_name, beata.role, beata.title, beata.email) == (
        "Beata Berg", "staff", "Socialsekreterare", "beata@varna.example")
    assert {u.name for u in beata.units} == {"Vuxenstöd", "Socialpsykiatri"}
    assert beata.password_hash.startswith("$argon2id$")

    listing = admin.get("/admin/anvandare").get_data(as_text=True)
    assert "Beata Berg" in listing

    client = admin.application.test_client()
    assert login(client, "beata", GOOD_PASSWORD).status_code == 302
    assert "Beata Berg" in client.get("/").get_data(as_text=True)

    created = _events("user.created", beata.id)
    assert len(created) == 1
    assert created[0].user_name == "Adam Admin"
    assert created[0].detail == {"username": "beata", "role": "staff"}


def test_username_is_stored_in_lower_case_and_compared_that_way(login_as):
    admin = login_as("admin")
    assert admin.post("/admin/anvandare/ny", data=_new_user_form(username="Beata.Berg")).status_code == 302
    assert _user("beata.berg") is not None
    again = admin.post("/admin/anvandare/ny", data=_new_user_form(username="BEATA.berg", full_name="Annan"))
    assert again.status_code == 422
    assert "Användarnamnet är upptaget." in _error_for(again.get_data(as_text=True), "username")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("username", "", "Ange ett användarnamn."),
    ("username", "   ", "Ange ett användarnamn."),
    ("username", "beata berg", "Använd bara bokstäverna a–z"),
    ("username", "beåta", "Använd bara bokstäverna a–z"),
    ("username", "<script>", "Använd bara bokstäverna a–z"),
    ("username", "anna", "Användarnamnet är upptaget."),
    ("username", "b" * 65, "högst 64 tecken"),
    ("full_name", "", "Ange personens namn."),
    ("full_name", "   ", "Ange personens namn."),
    ("password", "", "Ange ett första lösenord."),
    ("password", "elva tecken", "12–128 tecken"),
    ("password", "x" * 129, "12–128 tecken"),
    ("email", "inte-en-adress", "Ange en giltig e-postadress."),
])
def test_a_refused_new_account_explains_next_to_the_field_keeps_the_text_and_stores_nothing(
        login_as, field, value, message):
    admin = login_as("admin")
    before, events_before = _user_count(), db.session.scalar(select(func.count()).select_from(AuditEvent))

    response = admin.post("/admin/anvandare/ny", data=_new_user_form(**{field: value}))

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in _error_for(html, field)
    assert f'aria-describedby="{field}-error"' in html or f'aria-describedby="{field}-hint {field}-error"' in html
    assert 'class="error-summary"' in html
    # What the admin typed is still there (except the password, which is never sent back).
    assert 'value="Beata Berg"' in html or field == "full_name"
    if field == "username" and value.strip() and "<" not in value:
        assert f'value="{value}"' in html
    assert 'value="Socialsekreterare"' in html
    assert re.search(rf'<input checked[^>]*value="{_unit("Vuxenstöd").id}"', html) \
        or re.search(rf'value="{_unit("Vuxenstöd").id}"[^>]*checked', html)
    assert GOOD_PASSWORD not in html
    assert _user_count() == before
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events_before


def test_tampered_role_or_unit_is_refused_in_swedish(login_as):
    admin = login_as("admin")
    before = _user_count()
    bad_role = admin.post("/admin/anvandare/ny", data=_new_user_form(role="superuser"))
    assert bad_role.status_code == 422
    assert "Inte ett giltigt val" in _error_for(bad_role.get_data(as_text=True), "role")
    bad_unit = admin.post("/admin/anvandare/ny", data=_new_user_form(units=["999999"]))
    assert bad_unit.status_code == 422
    assert "inte ett giltigt val" in _error_for(bad_unit.get_data(as_text=True), "units")
    not_a_number = admin.post("/admin/anvandare/ny", data=_new_user_form(units=["x"]))
    assert not_a_number.status_code == 422
    assert _error_for(not_a_number.get_data(as_text=True), "units")
    assert _user_count() == before


def test_service_refuses_bad_usernames_from_the_command_line_too(demo):
    # The command line calls create_user directly; an account it created must be editable in the form.
    with pytest.raises(accounts.AccountError) as error:
        accounts.create_user(None, username="anna andersson", full_name="Anna", role="staff",
                             password=GOOD_PASSWORD)
    assert error.value.field == "username"
    with pytest.raises(accounts.AccountError):
        accounts.create_user(None, username="a" * 65, full_name="Anna", role="staff", password=GOOD_PASSWORD)
    with pytest.raises(accounts.AccountError) as error:
        accounts.create_user(None, username="bo", full_name="  ", role="staff", password=GOOD_PASSWORD)
    assert error.value.field == "full_name"
    assert _user("bo") is None


def test_service_refuses_passwords_outside_12_to_128_characters(demo):
    for password in ("x" * 11, "x" * 129):
        with pytest.raises(accounts.AccountError) as error:
            accounts.create_user(None, username="bo", full_name="Bo", role="staff", password=password)
        assert error.value.field == "password"
    assert _user("bo") is None
    # The longest and the shortest allowed; not "x" * n any more, which is refused as guessable
    # (tests/auth/test_password_policy.py).
    longest = ("blå tekopp under vintergatan, sju gröna cyklar på taket och en trött igelkott "
               "som läser tidningen vid havet i november " * 2)[:128]
    assert len(longest) == 128
    accounts.create_user(None, username="bo", full_name="Bo", role="staff", password=longest)
    accounts.create_user(None, username="bea", full_name="Bea", role="staff", password="tvåfyrsju-Ek")


def test_only_an_admin_may_create_accounts(demo):
    erik = _user("erik")
    with pytest.raises(PermissionDenied):
        accounts.create_user(erik, username="bo", full_name="Bo", role="admin", password=GOOD_PASSWORD)
    db.session.rollback()
    assert _user("bo") is None


# --- editing ----------------------------------------------------------------------------

def test_edit_form_shows_the_current_values(login_as):
    admin = login_as("admin")
    anna = _user("anna")
    html = admin.get(f"/admin/anvandare/{anna.id}").get_data(as_text=True)
    assert 'value="Anna Andersson"' in html
    assert re.search(r'<option selected value="staff">|<option value="staff" selected>', html)
    boende = _unit("Boendestöd").id
    assert re.search(rf'<input checked[^>]*value="{boende}"', html) \
        or re.search(rf'value="{boende}"[^>]*checked', html)
    # Where the person's unit sits in the tree, so that two units with one name can be told apart.
    assert "Socialförvaltningen › Vuxna › Boendestöd" in html


def test_admin_changes_role_and_units(login_as):
    admin = login_as("admin")
    anna = _user("anna")
    anna_client = login_as("anna")
    units = [str(_unit("Vuxenstöd").id), str(_unit("HVB Solrosen").id)]

    response = admin.post(f"/admin/anvandare/{anna.id}", data=_edit_form(anna, role="investigator", units=units))

    assert response.status_code == 302
    anna = _user("anna")
    assert anna.role == "investigator"
    assert {u.name for u in anna.units} == {"Vuxenstöd", "HVB Solrosen"}
    (event,) = _events("user.updated", anna.id)
    assert event.user_name == "Adam Admin"
    assert event.detail == {"role": "investigator", "units": sorted(int(u) for u in units)}
    # Her rights changed, so she logs in again and gets a session with the new rights.
    assert anna_client.get("/").status_code == 302


def test_changing_only_the_units_keeps_the_session(login_as):
    admin = login_as("admin")
    anna_client = login_as("anna")
    anna = _user("anna")
    units = [str(_unit("Socialpsykiatri").id)]
    assert admin.post(f"/admin/anvandare/{anna.id}", data=_edit_form(anna, units=units)).status_code == 302
    assert [u.name for u in _user("anna").units] == ["Socialpsykiatri"]
    assert anna_client.get("/").status_code == 200


def test_saving_without_changes_writes_no_audit_event(login_as):
    admin = login_as("admin")
    anna = _user("anna")
    assert admin.post(f"/admin/anvandare/{anna.id}", data=_edit_form(anna)).status_code == 302
    assert _events("user.updated", anna.id) == []


def test_username_cannot_be_changed_through_the_edit_form(login_as):
    admin = login_as("admin")
    anna = _user("anna")
    response = admin.post(f"/admin/anvandare/{anna.id}", data=_edit_form(anna, username="hacker", full_name="A A"))
    assert response.status_code == 302
    assert _user("anna").full_name == "A A"
    assert _user("hacker") is None


def test_an_account_with_an_odd_legacy_username_can_still_be_edited(login_as):
    # Accounts made before usernames were checked may hold characters the form no longer accepts.
    admin = login_as("admin")
    anna = _user("anna")
    anna.username = "anna andersson"
    db.session.commit()
    response = admin.post(f"/admin/anvandare/{anna.id}", data=_edit_form(anna, full_name="Anna A"))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _user("anna andersson").full_name == "Anna A"


def test_edit_refuses_bad_input_and_changes_nothing(login_as):
    admin = login_as("admin")
    anna = _user("anna")
    response = admin.post(f"/admin/anvandare/{anna.id}",
                          data=_edit_form(anna, full_name="", role="officer", password="kort"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ange personens namn." in _error_for(html, "full_name")
    assert "12–128 tecken" in _error_for(html, "password")
    anna = _user("anna")
    assert (anna.full_name, anna.role) == ("Anna Andersson", "staff")
    assert _events("user.updated", anna.id) == []


def test_admin_sets_a_new_password_for_someone(login_as):
    admin = login_as("admin")
    anna_client = login_as("anna")
    anna = _user("anna")
    new = "ett helt nytt lösenord"
    assert admin.post(f"/admin/anvandare/{anna.id}", data=_edit_form(anna, password=new)).status_code == 302
    assert anna_client.get("/").status_code == 302  # her sessions ended
    fresh = admin.application.test_client()
    assert login(fresh, "anna", "demo").status_code == 422
    assert login(fresh, "anna", new).status_code == 302
    assert len(_events("user.password_set", anna.id)) == 1


def test_unknown_user_is_404(login_as):
    assert login_as("admin").get("/admin/anvandare/999999").status_code == 404


# --- deactivation -----------------------------------------------------------------------

def test_deactivation_ends_the_sessions_at_once_and_blocks_login(login_as):
    admin = login_as("admin")
    anna_client = login_as("anna")
    assert anna_client.get("/").status_code == 200
    anna = _user("anna")

    response = admin.post(f"/admin/anvandare/{anna.id}", data=_edit_form(anna, active=""))

    assert response.status_code == 302
    assert _user("anna").active is False
    next_request = anna_client.get("/")
    assert next_request.status_code == 302
    assert "/logga-in" in next_request.headers["Location"]
    fresh = admin.application.test_client()
    refused = login(fresh, "anna", "demo")
    assert refused.status_code == 422
    assert "Fel användarnamn eller lösenord." in refused.get_data(as_text=True)
    (event,) = _events("user.updated", anna.id)
    assert event.detail == {"active": False}
    listing = admin.get("/admin/anvandare").get_data(as_text=True)
    assert "Inaktiverad" in listing


def test_reactivated_user_can_log_in_again(login_as):
    admin = login_as("admin")
    anna = _user("anna")
    admin.post(f"/admin/anvandare/{anna.id}", data=_edit_form(anna, active=""))
    admin.post(f"/admin/anvandare/{anna.id}", data=_edit_form(_user("anna"), active="y"))
    assert _user("anna").active is True
    assert login(admin.application.test_client(), "anna").status_code == 302
    assert [e.detail for e in _events("user.updated", anna.id)] == [{"active": False}, {"active": True}]


def test_admin_cannot_remove_their_own_admin_role(login_as):
    admin_client = login_as("admin")
    me = _user("admin")
    response = admin_client.post(f"/admin/anvandare/{me.id}", data=_edit_form(me, role="staff"))
    assert response.status_code == 422
    assert "din egen administratörsbehörighet" in _error_for(response.get_data(as_text=True), "role")
    assert _user("admin").role == "admin"
    assert admin_client.get("/admin/anvandare").status_code == 200
    assert _events("user.updated", me.id) == []


def test_admin_cannot_deactivate_themselves(login_as):
    admin_client = login_as("admin")
    me = _user("admin")
    response = admin_client.post(f"/admin/anvandare/{me.id}", data=_edit_form(me, active=""))
    assert response.status_code == 422
    assert "Du kan inte inaktivera ditt eget konto." in _error_for(response.get_data(as_text=True), "active")
    assert _user("admin").active is True
    assert admin_client.get("/admin/anvandare").status_code == 200


def test_admin_may_edit_their_own_name(login_as):
    admin_client = login_as("admin")
    me = _user("admin")
    assert admin_client.post(f"/admin/anvandare/{me.id}", data=_edit_form(me, full_name="Ada Admin")).status_code \
        == 302
    assert _user("admin").full_name == "Ada Admin"
    assert admin_client.get("/admin/anvandare").status_code == 200  # still logged in


def test_another_admin_may_be_demoted(login_as):
    admin_client = login_as("admin")
    accounts.create_user(_user("admin"), username="adam2", full_name="Adam Två", role="admin",
                         password=GOOD_PASSWORD)
    other = _user("adam2")
    assert admin_client.post(f"/admin/anvandare/{other.id}", data=_edit_form(other, role="staff")).status_code == 302
    assert _user("adam2").role == "staff"


# --- the list -------------------------------------------------------------------------------

def test_user_list_search_and_empty_state(login_as):
    admin = login_as("admin")
    found = admin.get("/admin/anvandare?q=ERIK").get_data(as_text=True)
    assert "Erik Eriksson" in found and "Anna Andersson" not in found
    none = admin.get("/admin/anvandare?q=finnsinte").get_data(as_text=True)
    assert "Inga användare matchar sökningen." in none
    assert 'value="finnsinte"' in none


def test_admin_forms_tie_only_real_hints_and_errors_to_fields(login_as):
    # aria-describedby="None" points a screen reader at an element that does not exist.
    admin = login_as("admin")
    anna = _user("anna")
    for url in ("/admin/anvandare/ny", f"/admin/anvandare/{anna.id}", "/admin/enheter/ny", "/admin/kategorier",
                "/admin/logg"):
        html = admin.get(url).get_data(as_text=True)
        assert '="None"' not in html, url
    refused = admin.post("/admin/anvandare/ny", data=_new_user_form(full_name="")).get_data(as_text=True)
    assert 'aria-describedby="full_name-error" aria-invalid="true"' in refused
    assert '="None"' not in refused


def test_user_search_folds_swedish_capitals_and_takes_wildcards_literally(login_as):
    admin = login_as("admin")
    accounts.create_user(_user("admin"), username="orjan", full_name="Örjan Åkesson", role="staff",
                         password=GOOD_PASSWORD)
    for query in ("örjan", "ÅKESSON", "orj"):
        assert "Örjan Åkesson" in admin.get("/admin/anvandare", query_string={"q": query}).get_data(as_text=True)
    assert "Inga användare" in admin.get("/admin/anvandare?q=%25").get_data(as_text=True)


def test_user_list_filtered_by_unit(login_as):
    admin = login_as("admin")
    boende = _unit("Boendestöd")
    page = admin.get(f"/admin/anvandare?enhet={boende.id}").get_data(as_text=True)
    assert "Anna Andersson" in page and "Erik Eriksson" not in page
    assert "Visar personer som hör till Socialförvaltningen › Vuxna › Boendestöd." in page
    assert f'name="enhet" value="{boende.id}"' in page  # a search stays within the unit


def test_edit_page_tells_when_the_person_last_logged_in(login_as):
    admin = login_as("admin")
    anna = _user("anna")
    page = admin.get(f"/admin/anvandare/{anna.id}").get_data(as_text=True)
    assert "Har aldrig loggat in." in page
    login_as("anna")
    page = admin.get(f"/admin/anvandare/{anna.id}").get_data(as_text=True)
    assert "Senast inloggad" in page
    assert f"/admin/logg?object_type=user&amp;object_id={anna.id}" in page


def test_the_section_stays_marked_on_its_subpages(login_as):
    admin = login_as("admin")
    page = admin.get(f"/admin/anvandare/{_user('anna').id}").get_data(as_text=True)
    assert '<a href="/admin/anvandare" aria-current="true">' in page
    assert '<a href="/admin/anvandare" aria-current="page">' in admin.get("/admin/anvandare").get_data(as_text=True)


def test_admin_setting_their_own_password_in_the_form_stays_logged_in(login_as):
    # As on the change-password page: this session is renewed, every other one ends.
    admin_client = login_as("admin")
    other_session = login_as("admin")
    me = _user("admin")
    new = "mitt nya långa lösenord"
    assert admin_client.post(f"/admin/anvandare/{me.id}", data=_edit_form(me, password=new)).status_code == 302
    assert admin_client.get("/admin/anvandare").status_code == 200
    assert other_session.get("/admin/anvandare").status_code == 302
    assert login(admin_client.application.test_client(), "admin", new).status_code == 302
