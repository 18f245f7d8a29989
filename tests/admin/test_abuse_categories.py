"""The admin marks the deviation categories that describe abuse (issue 13 point 12): a
deviation filed with one is first offered as a lex Sarah report (tests/intake/test_lex_sarah_nudge.py)."""

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import User
from app.auth.permissions import PermissionDenied
from app.cases import categories
from app.cases.models import Category
from app.demo import ABUSE_CATEGORIES
from app.extensions import db


def _category(kind: str, name: str) -> Category:
    db.session.expire_all()
    return db.session.scalar(select(Category).where(Category.kind == kind, Category.name == name))


def _updates(category: Category) -> list[dict]:
    return [e.detail for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "category.updated", AuditEvent.object_id == str(category.id)).order_by(AuditEvent.id))]


def test_the_demo_marks_the_four_abuse_categories_of_deviations(demo):
    marked = set(db.session.scalars(select(Category.name).where(Category.kind == "deviation",
                                                                Category.describes_abuse)))
    assert marked == set(ABUSE_CATEGORIES) == {"Fysiska övergrepp", "Psykiska övergrepp", "Sexuella övergrepp",
                                               "Ekonomiska övergrepp"}
    # Only the deviation form nudges; the other lists are left as they are.
    assert not db.session.scalars(select(Category).where(Category.kind != "deviation",
                                                         Category.describes_abuse)).all()


def test_marking_and_unmarking_is_audited(demo):
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    category = _category("deviation", "Brister i bemötande")
    categories.update_category(admin, category, name=category.name, active=True, describes_abuse=True)
    assert _category("deviation", "Brister i bemötande").describes_abuse is True
    categories.update_category(admin, category, name=category.name, active=True, describes_abuse=True)  # unchanged
    categories.update_category(admin, category, name=category.name, active=True, describes_abuse=False)
    assert _category("deviation", "Brister i bemötande").describes_abuse is False
    assert _updates(category) == [{"describes_abuse": True}, {"describes_abuse": False}]


def test_only_deviation_categories_can_describe_abuse(demo):
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    category = _category("complaint", "Bemötande")
    with pytest.raises(categories.CategoryError) as refused:
        categories.update_category(admin, category, name=category.name, active=True, describes_abuse=True)
    assert refused.value.field == "describes_abuse"
    assert _category("complaint", "Bemötande").describes_abuse is False


def test_only_an_admin_marks_a_category(login_as):
    category = _category("deviation", "Dokumentation")
    for username in ("anna", "erik", "sara"):
        response = login_as(username).post(f"/admin/kategorier/{category.id}",
                                           data={"name": category.name, "active": "y", "describes_abuse": "y"})
        assert response.status_code == 403
    assert _category("deviation", "Dokumentation").describes_abuse is False
    denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "permission.denied")).all()
    assert len(denied) == 3
    anna = db.session.scalar(select(User).where(User.username == "anna"))
    with pytest.raises(PermissionDenied):
        categories.update_category(anna, category, name=category.name, active=True, describes_abuse=True)


def test_the_admin_marks_on_the_category_page_and_the_list_shows_it(login_as):
    admin = login_as("admin")
    category = _category("deviation", "Dokumentation")
    page = admin.get(f"/admin/kategorier/{category.id}").get_data(as_text=True)
    assert "Beskriver övergrepp" in page and 'name="describes_abuse"' in page
    response = admin.post(f"/admin/kategorier/{category.id}",
                          data={"name": "Dokumentation", "active": "y", "describes_abuse": "y"})
    assert response.status_code == 302
    assert _category("deviation", "Dokumentation").describes_abuse is True
    listing = admin.get("/admin/kategorier?kind=deviation").get_data(as_text=True)
    assert listing.count("Beskriver övergrepp") >= 5  # the column's heading's neighbours: the four and this one
    # The box unticked unmarks it.
    admin.post(f"/admin/kategorier/{category.id}", data={"name": "Dokumentation", "active": "y"})
    assert _category("deviation", "Dokumentation").describes_abuse is False


def test_the_complaint_categories_page_does_not_offer_the_mark(login_as):
    admin = login_as("admin")
    category = _category("complaint", "Bemötande")
    assert 'name="describes_abuse"' not in admin.get(f"/admin/kategorier/{category.id}").get_data(as_text=True)
    # A hand-made request is refused next to the field, and nothing changes.
    response = admin.post(f"/admin/kategorier/{category.id}",
                          data={"name": "Bemötande", "active": "y", "describes_abuse": "y"})
    assert response.status_code == 422
    assert "Bara avvikelsernas kategorier" in response.get_data(as_text=True)
    assert _category("complaint", "Bemötande").describes_abuse is False
