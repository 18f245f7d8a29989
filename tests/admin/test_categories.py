"""The category lists an admin edits: add, rename, deactivate, one list per kind of report."""

import re

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth.models import User
from app.auth.permissions import PermissionDenied
from app.cases import categories
from app.cases.models import Category
from app.extensions import db


def _category(kind: str, name: str) -> Category | None:
    db.session.expire_all()
    return db.session.scalar(select(Category).where(Category.kind == kind, Category.name == name))


def _count(kind: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Category).where(Category.kind == kind))


def _events(category: Category) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "category", AuditEvent.object_id == str(category.id)).order_by(AuditEvent.id)))


def _error_for(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


@pytest.fixture
def admin_user(demo):
    return db.session.scalar(select(User).where(User.username == "admin"))


# --- services -------------------------------------------------------------------------------

def test_add_puts_the_category_last_and_audits(admin_user):
    category = categories.add_category(admin_user, "complaint", "  Tillgång   till  tolk ")
    assert category.name == "Tillgång till tolk"
    assert [c.name for c in categories.categories_for("complaint")][-1] == "Tillgång till tolk"
    (event,) = _events(category)
    assert (event.action, event.user_name) == ("category.created", "Adam Admin")
    assert event.detail == {"kind": "complaint", "name": "Tillgång till tolk"}


def test_rename_and_deactivate(admin_user):
    category = _category("complaint", "Kompetens")
    categories.update_category(admin_user, category, name="Personalens kompetens", active=True)
    categories.update_category(admin_user, category, name="Personalens kompetens", active=False)
    category = _category("complaint", "Personalens kompetens")
    assert category.active is False
    assert "Personalens kompetens" not in [c.name for c in categories.categories_for("complaint")]
    assert "Personalens kompetens" in [c.name for c in categories.categories_for("complaint", include_inactive=True)]
    assert [(e.action, e.detail) for e in _events(category) if e.action != "category.created"] == [
        ("category.updated", {"name": "Personalens kompetens"}), ("category.updated", {"active": False})]


def test_saving_an_unchanged_category_writes_no_event(admin_user):
    category = _category("complaint", "Kompetens")
    categories.update_category(admin_user, category, name="Kompetens", active=True)
    assert [e.action for e in _events(category)] == []  # the demo loader writes rows, not events


@pytest.mark.parametrize("name", ["Bemötande", "bemötande", "BEMÖTANDE", "  bemötande  "])
def test_a_duplicate_in_the_same_kind_is_refused_whatever_the_case(admin_user, name):
    before = _count("complaint")
    with pytest.raises(categories.CategoryError) as error:
        categories.add_category(admin_user, "complaint", name)
    assert error.value.message == "Kategorin finns redan i listan."
    assert _count("complaint") == before


def test_duplicate_check_folds_swedish_capitals_on_every_database(admin_user):
    # SQLite's lower() (and PostgreSQL's in the C locale) folds only A–Z.
    categories.add_category(admin_user, "complaint", "Överklagande")
    with pytest.raises(categories.CategoryError):
        categories.add_category(admin_user, "complaint", "överklagande")
    with pytest.raises(categories.CategoryError):
        categories.add_category(admin_user, "complaint", "ÖVERKLAGANDE")


def test_renaming_onto_another_category_is_refused_but_changing_case_is_allowed(admin_user):
    category = _category("complaint", "Kompetens")
    with pytest.raises(categories.CategoryError):
        categories.update_category(admin_user, category, name="TILLGÄNGLIGHET", active=True)
    categories.update_category(admin_user, category, name="KOMPETENS", active=True)
    assert _category("complaint", "KOMPETENS").id == category.id


def test_the_same_name_in_another_kind_is_allowed(admin_user):
    # "Bemötande" is a complaint topic; a deviation list may hold it too.
    category = categories.add_category(admin_user, "deviation", "Bemötande")
    assert category.kind == "deviation"
    assert _category("complaint", "Bemötande") is not None


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_name_is_required_and_bounded(admin_user, name):
    with pytest.raises(categories.CategoryError):
        categories.add_category(admin_user, "complaint", name)


def test_unknown_kind_is_refused_by_the_service(admin_user):
    with pytest.raises(categories.CategoryError):
        categories.add_category(admin_user, "gossip", "Skvaller")


def test_only_an_admin_edits_the_lists(demo):
    erik = db.session.scalar(select(User).where(User.username == "erik"))
    with pytest.raises(PermissionDenied):
        categories.add_category(erik, "complaint", "Ny")
    with pytest.raises(PermissionDenied):
        categories.update_category(erik, _category("complaint", "Kompetens"), name="X", active=False)
    db.session.rollback()
    assert _category("complaint", "Kompetens").active is True


# --- the pages ------------------------------------------------------------------------------

def test_each_kind_has_its_own_list(login_as):
    admin = login_as("admin")
    complaints = admin.get("/admin/kategorier?kind=complaint").get_data(as_text=True)
    assert "Bemötande" in complaints and "Sexuella övergrepp" not in complaints
    deviations = admin.get("/admin/kategorier").get_data(as_text=True)
    assert "Sexuella övergrepp" in deviations and ">Kompetens<" not in deviations
    assert admin.get("/admin/kategorier?kind=lex_sarah").status_code == 200


def test_add_rename_and_deactivate_through_the_pages(login_as):
    admin = login_as("admin")
    response = admin.post("/admin/kategorier?kind=complaint", data={"name": "Tillgång till tolk"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/kategorier?kind=complaint")
    category = _category("complaint", "Tillgång till tolk")
    assert category is not None

    form = admin.get(f"/admin/kategorier/{category.id}").get_data(as_text=True)
    assert 'value="Tillgång till tolk"' in form
    response = admin.post(f"/admin/kategorier/{category.id}", data={"name": "Tolk", "active": "y"})
    assert response.status_code == 302
    assert _category("complaint", "Tolk").active is True

    response = admin.post(f"/admin/kategorier/{category.id}", data={"name": "Tolk"})  # box unticked
    assert response.status_code == 302
    assert _category("complaint", "Tolk").active is False
    listing = admin.get("/admin/kategorier?kind=complaint").get_data(as_text=True)
    assert "Tolk" in listing and "Inaktiverad" in listing
    assert [e.action for e in _events(category)] == ["category.created", "category.updated", "category.updated"]


def test_a_refused_name_is_explained_next_to_the_field_and_kept(login_as):
    admin = login_as("admin")
    before = _count("complaint")
    response = admin.post("/admin/kategorier?kind=complaint", data={"name": "BEMÖTANDE"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert _error_for(html, "name") == "Kategorin finns redan i listan."
    assert 'value="BEMÖTANDE"' in html
    empty = admin.post("/admin/kategorier?kind=complaint", data={"name": " "})
    assert _error_for(empty.get_data(as_text=True), "name") == "Ange ett namn."
    assert _count("complaint") == before

    category = _category("complaint", "Kompetens")
    rename = admin.post(f"/admin/kategorier/{category.id}", data={"name": "Bemötande", "active": "y"})
    assert rename.status_code == 422
    assert _error_for(rename.get_data(as_text=True), "name") == "Kategorin finns redan i listan."
    assert _category("complaint", "Kompetens") is not None


def test_unknown_kind_or_category_is_404(login_as):
    admin = login_as("admin")
    assert admin.get("/admin/kategorier?kind=gossip").status_code == 404
    before = db.session.scalar(select(func.count()).select_from(Category))
    assert admin.post("/admin/kategorier?kind=gossip", data={"name": "Skvaller"}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Category)) == before
    assert admin.get("/admin/kategorier/999999").status_code == 404


def test_an_empty_list_says_so(login_as):
    admin = login_as("admin")
    db.session.execute(Category.__table__.delete().where(Category.kind == "complaint"))
    db.session.commit()
    assert "Listan är tom." in admin.get("/admin/kategorier?kind=complaint").get_data(as_text=True)


def test_the_edit_form_explains_what_deactivating_means(login_as):
    page = login_as("admin").get(f"/admin/kategorier/{_category('complaint', 'Kompetens').id}").get_data(as_text=True)
    assert "finns kvar i tidigare ärenden och i statistiken" in page
    assert 'aria-describedby="active-hint"' in page
