"""The admin's upload page: the same checks and report as the command line."""

import io

import pytest
from sqlalchemy import func, select

from app.cases.models import Case
from app.extensions import db
from app.imports.services import COLUMNS

pytestmark = pytest.mark.usefixtures("demo")
HEADER = ",".join(COLUMNS)


def _upload(client, text: str, **extra):
    data = {"file": (io.BytesIO(text.encode()), "tidigare.csv"), **extra}
    return client.post("/admin/import/", data=data, content_type="multipart/form-data")


def test_an_admin_imports_a_file_and_sees_what_happened(login_as):
    client = login_as("admin")
    assert client.get("/admin/import/").status_code == 200
    response = _upload(client, "\n".join([HEADER, "AV-2017-0001,deviation,2017-03-01,Vuxna,Boendestöd,,,,,,,,,,",
                                          "AV-2017-0002,deviation,2017-03-02,Äldre,,,,,,,,,,,"]),
                       create_units="y")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "2 ärenden importerades." in html
    assert "Socialförvaltningen › Äldre" in html
    assert db.session.scalar(select(func.count()).select_from(Case).where(Case.imported)) == 2

    again = _upload(client, "\n".join([HEADER, "AV-2017-0001,deviation,2017-03-01,Vuxna,Boendestöd,,,,,,,,,,"]))
    assert "0 ärenden importerades." in again.get_data(as_text=True)
    assert "1 fanns redan och lämnades orört." in again.get_data(as_text=True)


def test_errors_are_listed_with_line_and_column_and_nothing_is_imported(login_as):
    response = _upload(login_as("admin"), "\n".join([
        HEADER, "AV-2017-0001,deviation,2017-03-01,Vuxna,,,,,,,,,,,",
        "AV-2017-0002,deviation,2017-02-30,Vuxna,,,,,,,,,,,",
        "AV-2017-0003,complaint,2017-03-01,Äldre,,,,,,,,,,,"]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Filen har 2 fel. Ingenting importerades." in html
    assert "<td>3</td><td>received_date</td><td>Datumet 2017-02-30 finns inte.</td>" in html
    assert "<td>4</td><td>department</td>" in html
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_no_file_is_explained_next_to_the_field(login_as):
    response = login_as("admin").post("/admin/import/", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Välj en fil att importera." in response.get_data(as_text=True)


def test_the_template_has_the_header(login_as):
    response = login_as("admin").get("/admin/import/mall.csv")
    assert response.get_data(as_text=True).splitlines()[0] == HEADER


@pytest.mark.parametrize("username", ["anna", "erik", "sara"])
def test_only_admins_import(login_as, username):
    client = login_as(username)
    assert client.get("/admin/import/").status_code == 403
    assert _upload(client, "\n".join([HEADER, "AV-2017-0001,deviation,2017-03-01,Vuxna,,,,,,,,,,,"])).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0
