"""The provider's details for the notification, kept by an admin."""

import pytest

from app.auth.permissions import PermissionDenied
from app.lexsarah import common, provider
from tests.lexsarah.helpers import audit_actions, make_case, user

VALID = {"board_name": "Socialnämnden i Exempelby", "org_number": "2120000142", "address": "Box 100, 123 45 Exempelby",
         "contact_name": "Kim Kontakt", "contact_title": "Kvalitetsutvecklare", "contact_phone": "010-100 00 00",
         "contact_email": "kim@exempelby.se"}


def test_an_admin_saves_the_details_and_the_number_is_normalised(demo):
    settings = provider.save_provider_settings(user("admin"), **VALID)
    assert settings.org_number == "212000-0142" and settings.complete
    assert "settings.provider_updated" in audit_actions()


@pytest.mark.parametrize(("changes", "field"), [
    ({"board_name": " "}, "board_name"),
    ({"org_number": "212000-0143"}, "org_number"),   # fails the check digit
    ({"org_number": "21200001"}, "org_number"),
    ({"org_number": "2120O0-0142"}, "org_number"),
    ({"address": ""}, "address"),
    ({"contact_email": "kim at exempelby"}, "contact_email"),
])
def test_bad_details_are_refused(demo, changes, field):
    with pytest.raises(common.LexSarahError) as refused:
        provider.save_provider_settings(user("admin"), **{**VALID, **changes})
    assert set(refused.value.errors) == {field}
    assert provider.provider_settings() is None


@pytest.mark.parametrize("who", ["anna", "erik"])
def test_only_an_admin_or_the_officer(demo, who):
    with pytest.raises(PermissionDenied):
        provider.save_provider_settings(user(who), **VALID)


def test_the_page_and_the_default_contact_of_new_notifications(demo, login_as):
    admin = login_as("admin")
    response = admin.post("/lex-sarah/installningar", data={**VALID, "org_number": "123"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ange ett giltigt organisationsnummer" in page and "Socialnämnden i Exempelby" in page
    assert admin.post("/lex-sarah/installningar", data=VALID).status_code == 302
    assert 'value="212000-0142"' in admin.get("/lex-sarah/installningar").get_data(as_text=True)
    case = make_case()
    page = login_as("sara").get(f"/lex-sarah/{case.reference}/anmalan").get_data(as_text=True)
    assert 'value="Kim Kontakt"' in page and 'value="Sara Svensson"' in page  # contact, and the officer signs
