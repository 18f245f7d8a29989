"""Editing the organisation tree: through the services and through the admin pages."""

import re

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth.models import User
from app.auth.permissions import PermissionDenied
from app.extensions import db
from app.org import services as org
from app.org.models import Unit


def _unit(name: str) -> Unit:
    db.session.expire_all()
    return db.session.scalar(select(Unit).where(Unit.name == name))


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Unit))


def _events(action: str, unit: Unit) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_type == "unit",
        AuditEvent.object_id == str(unit.id)).order_by(AuditEvent.id)))


def _assert_tree_consistent() -> None:
    """Every unit's path and depth follow from its parent's: the invariant the queue relies on."""
    db.session.expire_all()
    for unit in db.session.scalars(select(Unit)):
        if unit.parent_id is None:
            assert (unit.path, unit.depth) == (f"/{unit.id}/", 0), unit
        else:
            parent = db.session.get(Unit, unit.parent_id)
            assert unit.path == f"{parent.path}{unit.id}/", unit
            assert unit.depth == parent.depth + 1, unit


def _error_for(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


@pytest.fixture
def admin_user(demo):
    return _user("admin")


# --- services -----------------------------------------------------------------------------

def test_create_under_a_parent_sets_path_depth_and_audit(admin_user):
    vuxna = _unit("Vuxna")
    unit = org.create_unit(admin_user, name="  Missbruk   och  beroende ", parent_id=vuxna.id, address="Storgatan 1")
    assert unit.name == "Missbruk och beroende"
    assert unit.parent_id == vuxna.id
    assert unit.path == f"{vuxna.path}{unit.id}/"
    assert unit.depth == 2 and unit.level == "unit"
    assert unit.address == "Storgatan 1"
    (event,) = _events("unit.created", unit)
    assert event.user_name == "Adam Admin"
    assert event.detail == {"name": "Missbruk och beroende", "parent_id": vuxna.id}
    _assert_tree_consistent()


def test_rename(admin_user):
    unit = _unit("Boendestöd")
    org.update_unit(admin_user, unit, name="Boendestöd öst", parent_id=unit.parent_id, address="")
    assert _unit("Boendestöd öst").id == unit.id
    (event,) = _events("unit.updated", unit)
    assert event.detail == {"name": "Boendestöd öst"}


def test_saving_an_unchanged_unit_writes_no_audit_event(admin_user):
    unit = _unit("Boendestöd")
    org.update_unit(admin_user, unit, name="Boendestöd", parent_id=unit.parent_id, address="")
    assert _events("unit.updated", unit) == []


def test_moving_a_department_rewrites_the_path_and_depth_of_every_descendant(admin_user):
    root = _unit("Socialförvaltningen")
    # A deeper subtree than the demo's, so that grandchildren are moved too.
    boende = _unit("Boendestöd")
    team = org.create_unit(admin_user, name="Team norr", parent_id=boende.id)
    group = org.create_unit(admin_user, name="Nattpatrull", parent_id=team.id)
    stab = _unit("Stab")
    vuxna = _unit("Vuxna")
    subtree_ids = {vuxna.id, boende.id, team.id, group.id, _unit("Vuxenstöd").id, _unit("Socialpsykiatri").id}
    untouched = {u.id: (u.path, u.depth) for u in db.session.scalars(select(Unit)) if u.id not in subtree_ids}

    org.update_unit(admin_user, vuxna, name="Vuxna", parent_id=stab.id, address="")

    vuxna, stab = _unit("Vuxna"), _unit("Stab")
    assert vuxna.parent_id == stab.id
    assert vuxna.path == f"/{root.id}/{stab.id}/{vuxna.id}/" and vuxna.depth == 2
    assert _unit("Boendestöd").path == f"/{root.id}/{stab.id}/{vuxna.id}/{boende.id}/"
    assert _unit("Boendestöd").depth == 3
    assert _unit("Team norr").path == f"/{root.id}/{stab.id}/{vuxna.id}/{boende.id}/{team.id}/"
    assert _unit("Team norr").depth == 4
    assert _unit("Nattpatrull").path == f"/{root.id}/{stab.id}/{vuxna.id}/{boende.id}/{team.id}/{group.id}/"
    assert _unit("Nattpatrull").depth == 5
    for name in ("Vuxenstöd", "Socialpsykiatri"):
        assert _unit(name).path == f"/{root.id}/{stab.id}/{vuxna.id}/{_unit(name).id}/"
        assert _unit(name).depth == 3
    assert {u.id: (u.path, u.depth) for u in db.session.scalars(select(Unit))
            if u.id not in subtree_ids} == untouched
    _assert_tree_consistent()
    # The subtree query (what the queue and permissions use) follows the move.
    below_stab = {u.id for u in db.session.scalars(stab.subtree_query())}
    assert below_stab == subtree_ids | {stab.id, _unit("Administration").id}
    (event,) = _events("unit.updated", vuxna)
    assert event.detail == {"parent_id": stab.id}


def test_moving_back_and_forth_keeps_the_tree_consistent(admin_user):
    vuxna, unga, stab = _unit("Vuxna"), _unit("Unga"), _unit("Stab")
    org.update_unit(admin_user, _unit("Boendestöd"), name="Boendestöd", parent_id=unga.id)
    org.update_unit(admin_user, _unit("Unga"), name="Unga", parent_id=stab.id)
    org.update_unit(admin_user, _unit("Unga"), name="Unga", parent_id=_unit("Socialförvaltningen").id)
    org.update_unit(admin_user, _unit("Boendestöd"), name="Boendestöd", parent_id=vuxna.id)
    _assert_tree_consistent()
    assert _unit("Boendestöd").path == f"{_unit('Vuxna').path}{_unit('Boendestöd').id}/"


def test_a_user_of_a_moved_unit_keeps_it(admin_user):
    erik = _user("erik")
    org.update_unit(admin_user, _unit("Vuxna"), name="Vuxna", parent_id=_unit("Stab").id)
    db.session.expire_all()
    assert [u.name for u in _user("erik").units] == ["Vuxna"]
    assert erik.units[0].depth == 2


@pytest.mark.parametrize("target", ["Vuxna", "Boendestöd"])
def test_a_unit_cannot_be_moved_in_under_itself_or_its_descendant(admin_user, target):
    vuxna = _unit("Vuxna")
    before = vuxna.path
    with pytest.raises(org.UnitError) as error:
        org.update_unit(admin_user, vuxna, name="Vuxna", parent_id=_unit(target).id)
    assert error.value.field == "parent_id"
    assert "under sig själv" in error.value.message
    assert _unit("Vuxna").path == before
    _assert_tree_consistent()


def test_the_root_cannot_be_moved(admin_user):
    root = _unit("Socialförvaltningen")
    with pytest.raises(org.UnitError) as error:
        org.update_unit(admin_user, root, name=root.name, parent_id=_unit("Stab").id)
    assert error.value.field == "parent_id"
    assert _unit("Socialförvaltningen").parent_id is None


def test_the_root_can_be_renamed(admin_user):
    root = _unit("Socialförvaltningen")
    org.update_unit(admin_user, root, name="Socialtjänsten", parent_id=None)
    assert _unit("Socialtjänsten").id == root.id


def test_a_second_root_is_refused(admin_user):
    before = _count()
    with pytest.raises(org.UnitError) as error:
        org.create_unit(admin_user, name="Omsorgsförvaltningen", parent_id=None)
    assert error.value.field == "parent_id"
    assert _count() == before
    # Nor may a unit be moved up to become a second root.
    with pytest.raises(org.UnitError):
        org.update_unit(admin_user, _unit("Stab"), name="Stab", parent_id=None)
    assert _unit("Stab").parent_id == _unit("Socialförvaltningen").id


def test_the_first_root_of_a_new_installation_can_be_created(app):
    root = org.create_unit(None, name="Socialförvaltningen", parent_id=None)
    assert (root.path, root.depth, root.level) == (f"/{root.id}/", 0, "administration")


@pytest.mark.parametrize("name", ["Boendestöd", "boendestöd", "BOENDESTÖD", " Boendestöd ", "BoendeSTÖD"])
def test_a_duplicate_sibling_name_is_refused_whatever_the_case(admin_user, name):
    before = _count()
    with pytest.raises(org.UnitError) as error:
        org.create_unit(admin_user, name=name, parent_id=_unit("Vuxna").id)
    assert error.value.field == "name"
    assert "samma nivå" in error.value.message
    assert _count() == before


def test_duplicate_check_folds_the_case_of_swedish_letters_on_every_database(admin_user):
    # SQLite's lower() folds only A–Z, so "Öppenvård" and "öppenvård" looked different there.
    org.create_unit(admin_user, name="Öppenvård", parent_id=_unit("Vuxna").id)
    for name in ("öppenvård", "ÖPPENVÅRD"):
        with pytest.raises(org.UnitError):
            org.create_unit(admin_user, name=name, parent_id=_unit("Vuxna").id)


def test_renaming_or_moving_into_a_sibling_name_is_refused(admin_user):
    with pytest.raises(org.UnitError):
        org.update_unit(admin_user, _unit("Vuxenstöd"), name="SOCIALPSYKIATRI", parent_id=_unit("Vuxna").id)
    org.create_unit(admin_user, name="Boendestöd", parent_id=_unit("Unga").id)  # another level: fine
    unga_boende = db.session.scalar(select(Unit).where(Unit.name == "Boendestöd", Unit.parent_id == _unit("Unga").id))
    with pytest.raises(org.UnitError) as error:
        org.update_unit(admin_user, unga_boende, name="Boendestöd", parent_id=_unit("Vuxna").id)
    assert error.value.field == "name"
    _assert_tree_consistent()


def test_a_unit_may_change_the_case_of_its_own_name(admin_user):
    unit = _unit("HVB Solrosen")
    org.update_unit(admin_user, unit, name="HVB SOLROSEN", parent_id=unit.parent_id)
    assert _unit("HVB SOLROSEN").id == unit.id


def test_deactivating_a_unit_with_active_children_is_refused(admin_user):
    vuxna = _unit("Vuxna")
    with pytest.raises(org.UnitError) as error:
        org.set_unit_active(admin_user, vuxna, False)
    assert "Inaktivera först" in error.value.message
    assert _unit("Vuxna").active is True
    for name in ("Vuxenstöd", "Boendestöd", "Socialpsykiatri"):
        org.set_unit_active(admin_user, _unit(name), False)
    org.set_unit_active(admin_user, _unit("Vuxna"), False)
    assert _unit("Vuxna").active is False
    assert [e.action for e in _events("unit.deactivated", vuxna)] == ["unit.deactivated"]


def test_an_inactive_unit_takes_no_new_active_units(admin_user):
    # Keeps "an inactive unit has no active units under it" true, whichever way one tries.
    org.set_unit_active(admin_user, _unit("Administration"), False)
    org.set_unit_active(admin_user, _unit("Stab"), False)
    with pytest.raises(org.UnitError) as error:
        org.create_unit(admin_user, name="Ekonomi", parent_id=_unit("Stab").id)
    assert error.value.field == "parent_id"
    with pytest.raises(org.UnitError):
        org.update_unit(admin_user, _unit("Boendestöd"), name="Boendestöd", parent_id=_unit("Stab").id)
    with pytest.raises(org.UnitError):
        org.set_unit_active(admin_user, _unit("Administration"), True)
    org.set_unit_active(admin_user, _unit("Stab"), True)
    org.set_unit_active(admin_user, _unit("Administration"), True)
    assert _unit("Administration").active is True


def test_unknown_parent_is_refused_with_a_message(admin_user):
    before = _count()
    with pytest.raises(org.UnitError) as error:
        org.create_unit(admin_user, name="Ny", parent_id=999999)
    assert error.value.field == "parent_id"
    assert "finns inte" in error.value.message
    with pytest.raises(org.UnitError) as error:
        org.update_unit(admin_user, _unit("Stab"), name="Stab", parent_id=999999)
    assert "finns inte" in error.value.message
    assert _count() == before


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_name_is_required_and_bounded(admin_user, name):
    with pytest.raises(org.UnitError) as error:
        org.create_unit(admin_user, name=name, parent_id=_unit("Stab").id)
    assert error.value.field == "name"


def test_only_an_admin_edits_the_tree(admin_user):
    erik = _user("erik")
    with pytest.raises(PermissionDenied):
        org.create_unit(erik, name="Ny", parent_id=_unit("Stab").id)
    with pytest.raises(PermissionDenied):
        org.update_unit(erik, _unit("Stab"), name="Nytt namn", parent_id=_unit("Stab").parent_id)
    with pytest.raises(PermissionDenied):
        org.set_unit_active(erik, _unit("Administration"), False)
    assert _unit("Stab") is not None and _unit("Administration").active


def test_path_labels(admin_user):
    labels = org.path_labels(org.tree())
    assert labels[_unit("Boendestöd").id] == "Socialförvaltningen › Vuxna › Boendestöd"
    assert labels[_unit("Socialförvaltningen").id] == "Socialförvaltningen"


def test_tree_order_is_parents_before_children(admin_user):
    names = [u.name for u in org.tree()]
    assert names[0] == "Socialförvaltningen"
    assert names.index("Vuxna") < names.index("Boendestöd") < names.index("Socialpsykiatri")


# --- units are never deleted ------------------------------------------------------------------

def test_no_route_and_no_service_deletes_a_unit(demo):
    for rule in demo.url_map.iter_rules():
        assert "DELETE" not in rule.methods, rule
        if "unit" in rule.endpoint or "/enheter" in rule.rule:
            assert not re.search(r"delete|remove|radera|ta-bort", rule.rule + rule.endpoint, re.I), rule
    assert not [name for name in vars(org) if re.search(r"delete|remove", name, re.I)]
    unit_posts = {r.endpoint for r in demo.url_map.iter_rules()
                  if "POST" in r.methods and r.endpoint.startswith("admin.") and "unit" in r.endpoint}
    assert unit_posts == {"admin.new_unit", "admin.edit_unit", "admin.set_unit_active"}


def test_deactivating_through_the_page_keeps_the_row(login_as):
    admin = login_as("admin")
    before = _count()
    unit = _unit("Administration")
    response = admin.post(f"/admin/enheter/{unit.id}/aktiv", data={"active": "0"})
    assert response.status_code == 302
    assert _count() == before
    assert _unit("Administration").active is False
    page = admin.get("/admin/enheter").get_data(as_text=True)
    assert "Enheten Administration är inaktiverad." in page
    assert "Administration" in page and "inaktiv" in page
    admin.post(f"/admin/enheter/{unit.id}/aktiv", data={"active": "1"})
    assert _unit("Administration").active is True


# --- the pages ------------------------------------------------------------------------------

def test_tree_page_shows_every_unit_with_its_level(login_as):
    page = login_as("admin").get("/admin/enheter").get_data(as_text=True)
    for name in ("Socialförvaltningen", "Unga", "Vuxna", "Stab", "Boendestöd", "HVB Solrosen"):
        assert f">{name}</a>" in page
    assert "(förvaltning)" in page and "(avdelning)" in page and "(enhet)" in page


def test_create_a_unit_through_the_page(login_as):
    admin = login_as("admin")
    vuxna = _unit("Vuxna")
    form = admin.get(f"/admin/enheter/ny?parent={vuxna.id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{vuxna.id}">|<option value="{vuxna.id}" selected>', form)
    assert "Socialförvaltningen › Vuxna" in form
    response = admin.post("/admin/enheter/ny", data={"name": "Missbruk", "parent_id": str(vuxna.id),
                                                     "address": "Storgatan 1"})
    assert response.status_code == 302
    unit = _unit("Missbruk")
    assert unit.parent_id == vuxna.id and unit.depth == 2 and unit.address == "Storgatan 1"
    assert "Enheten Missbruk är skapad." in admin.get("/admin/enheter").get_data(as_text=True)


def test_new_unit_form_defaults_to_the_root_and_offers_no_second_root(login_as):
    admin = login_as("admin")
    root = _unit("Socialförvaltningen")
    form = admin.get("/admin/enheter/ny").get_data(as_text=True)
    assert re.search(rf'<option selected value="{root.id}">|<option value="{root.id}" selected>', form)
    assert "högst upp" not in form


def test_a_new_installation_starts_with_the_administration_at_the_top(app):
    from app.auth import services as accounts
    from tests.conftest import login
    accounts.create_user(None, username="forst", full_name="Första Admin", role="admin",
                         password="ett långt lösenord")
    client = app.test_client()
    assert login(client, "forst", "ett långt lösenord").status_code == 302
    assert "högst upp" in client.get("/admin/enheter/ny").get_data(as_text=True)
    assert client.post("/admin/enheter/ny", data={"name": "Socialförvaltningen", "parent_id": ""}).status_code == 302
    root = _unit("Socialförvaltningen")
    assert root.parent_id is None and root.depth == 0
    assert "högst upp" not in client.get("/admin/enheter/ny").get_data(as_text=True)


def test_inactive_units_are_not_offered_as_a_new_place(login_as):
    admin = login_as("admin")
    admin.post(f"/admin/enheter/{_unit('Administration').id}/aktiv", data={"active": "0"})
    admin.post(f"/admin/enheter/{_unit('Stab').id}/aktiv", data={"active": "0"})
    form = admin.get(f"/admin/enheter/{_unit('Boendestöd').id}").get_data(as_text=True)
    assert f'value="{_unit("Stab").id}"' not in form
    # ...but an inactive unit's own (inactive) parent is still shown as where it is.
    form = admin.get(f"/admin/enheter/{_unit('Administration').id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{_unit("Stab").id}">', form)


def test_rename_and_move_through_the_page(login_as):
    admin = login_as("admin")
    vuxna, stab = _unit("Vuxna"), _unit("Stab")
    form = admin.get(f"/admin/enheter/{vuxna.id}").get_data(as_text=True)
    assert 'value="Vuxna"' in form
    # Its own subtree is not offered as a new place.
    assert f'value="{_unit("Boendestöd").id}"' not in form
    assert f'value="{stab.id}"' in form
    response = admin.post(f"/admin/enheter/{vuxna.id}", data={"name": "Vuxenenheten", "parent_id": str(stab.id),
                                                              "address": ""})
    assert response.status_code == 302
    moved = _unit("Vuxenenheten")
    assert moved.parent_id == stab.id and moved.depth == 2
    assert _unit("Boendestöd").depth == 3
    _assert_tree_consistent()


def test_the_root_form_has_no_place_to_move_to(login_as):
    admin = login_as("admin")
    root = _unit("Socialförvaltningen")
    form = admin.get(f"/admin/enheter/{root.id}").get_data(as_text=True)
    assert 'name="parent_id"' not in form
    assert admin.post(f"/admin/enheter/{root.id}", data={"name": "Socialtjänsten", "address": ""}).status_code == 302
    assert _unit("Socialtjänsten").parent_id is None
    tampered = admin.post(f"/admin/enheter/{root.id}", data={"name": "Socialtjänsten",
                                                            "parent_id": str(_unit("Stab").id)})
    assert tampered.status_code == 422
    assert "kan inte flyttas" in _error_for(tampered.get_data(as_text=True), "parent_id")


@pytest.mark.parametrize(("parent", "message"), [
    ("abc", "Välj en överordnad enhet i listan."),
    ("999999", "finns inte"),
    ("", "Välj en överordnad enhet i listan."),
])
def test_a_tampered_parent_gets_a_clear_message_and_nothing_is_stored(login_as, parent, message):
    admin = login_as("admin")
    before = _count()
    response = admin.post("/admin/enheter/ny", data={"name": "Ny enhet", "parent_id": parent, "address": "Gata 2"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in _error_for(html, "parent_id")
    assert 'value="Ny enhet"' in html and 'value="Gata 2"' in html
    assert _count() == before


def test_moving_in_under_a_descendant_through_a_tampered_form_is_refused(login_as):
    admin = login_as("admin")
    vuxna = _unit("Vuxna")
    response = admin.post(f"/admin/enheter/{vuxna.id}", data={"name": "Vuxna",
                                                              "parent_id": str(_unit("Boendestöd").id)})
    assert response.status_code == 422
    assert "under sig själv" in _error_for(response.get_data(as_text=True), "parent_id")
    _assert_tree_consistent()


def test_duplicate_name_through_the_page(login_as):
    admin = login_as("admin")
    response = admin.post("/admin/enheter/ny", data={"name": "boendestöd", "parent_id": str(_unit("Vuxna").id)})
    assert response.status_code == 422
    assert "samma nivå" in _error_for(response.get_data(as_text=True), "name")
    empty = admin.post("/admin/enheter/ny", data={"name": "", "parent_id": str(_unit("Vuxna").id)})
    assert "Ange ett namn." in _error_for(empty.get_data(as_text=True), "name")


def test_deactivating_a_department_with_active_units_through_the_page(login_as):
    admin = login_as("admin")
    vuxna = _unit("Vuxna")
    response = admin.post(f"/admin/enheter/{vuxna.id}/aktiv", data={"active": "0"}, follow_redirects=True)
    assert "Inaktivera först de enheter som ligger under den här." in response.get_data(as_text=True)
    assert _unit("Vuxna").active is True


def test_unknown_unit_is_404(login_as):
    admin = login_as("admin")
    assert admin.get("/admin/enheter/999999").status_code == 404
    assert admin.post("/admin/enheter/999999/aktiv", data={"active": "0"}).status_code == 404


def test_tree_page_shows_how_many_people_belong_to_a_unit(login_as):
    admin = login_as("admin")
    page = admin.get("/admin/enheter").get_data(as_text=True)
    boende = _unit("Boendestöd")
    assert f'href="/admin/anvandare?enhet={boende.id}">1 person</a>' in page
    assert f'href="/admin/anvandare?enhet={_unit("Socialförvaltningen").id}">2 personer</a>' in page
    assert f'?enhet={_unit("HVB Solrosen").id}"' not in page


def test_tree_page_of_a_new_installation_says_where_to_start(app):
    from app.auth import services as accounts
    from tests.conftest import login
    accounts.create_user(None, username="forst", full_name="Första Admin", role="admin", password="ett långt lösenord")
    client = app.test_client()
    login(client, "forst", "ett långt lösenord")
    assert "Det finns inga enheter ännu." in client.get("/admin/enheter").get_data(as_text=True)


def _token(page_html: str) -> str:
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page_html).group(1)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_admin_posts_need_the_csrf_token(demo):
    client = demo.test_client()
    token = _token(client.get("/logga-in").get_data(as_text=True))
    assert client.post("/logga-in", data={"username": "admin", "password": "demo", "csrf_token": token}) \
        .status_code == 302
    unit = _unit("Administration")
    assert client.post(f"/admin/enheter/{unit.id}/aktiv", data={"active": "0"}).status_code == 400
    assert client.post("/admin/enheter/ny", data={"name": "Ekonomi", "parent_id": str(unit.parent_id)}) \
        .status_code == 400
    assert _unit("Administration").active is True and _unit("Ekonomi") is None
    # The tree page's own buttons carry the token.
    token = _token(client.get("/admin/enheter").get_data(as_text=True))
    response = client.post(f"/admin/enheter/{unit.id}/aktiv", data={"active": "0", "csrf_token": token})
    assert response.status_code == 302
    assert _unit("Administration").active is False
