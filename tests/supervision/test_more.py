"""A colleague who saved first, the letter as an attachment (and a file that is not one), and
reopening a closed supervision case."""

from datetime import date
from io import BytesIO

from sqlalchemy import func, select

from app.cases.casework import services as casework
from app.cases.models import Attachment
from app.extensions import db
from app.supervision import services
from app.supervision.models import SupervisionDetails, SupervisionRequest
from tests.cases.helpers import error_for, reload, unit, user
from tests.supervision.helpers import at, register

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_colleague_saved_first_nothing_is_overwritten(login_as):
    case = register(on=date(2026, 3, 2), units=("Boendestöd",))
    loaded = reload(case).version
    erik, sara = login_as("erik"), login_as("sara")
    data = {"version": loaded, "purpose": "statement", "requested_on": "2026-03-03", "due_on": "2026-03-20",
            "text": "Erik skrev det här."}
    with at(date(2026, 3, 4)):
        assert sara.post(f"/tillsyn/{case.reference}/begaran", data={**data, "text": "Sara först."}).status_code == 302
        response = erik.post(f"/tillsyn/{case.reference}/begaran", data=data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Någon annan har ändrat ärendet" in page and "Erik skrev det här." in page
    assert [r.text for r in db.session.scalars(select(SupervisionRequest))] == ["Sara först."]


def test_the_letter_is_attached_and_a_file_that_is_not_allowed_is_refused(login_as):
    sara = login_as("sara")
    form = {"authority": "ivo", "authority_reference": "3.5.1-9/2026", "letter_on": "2026-03-02",
            "subject": "activity", "summary": "Inspektion", "origin": "initiative",
            "unit_ids": [unit("HVB Solrosen").id]}
    with at(date(2026, 3, 2)):
        refused = sara.post("/tillsyn/ny", data={**form, "letter": (BytesIO(b"MZ\x90\x00"), "brev.pdf")},
                            content_type="multipart/form-data")
        assert refused.status_code == 422
        assert "brev.pdf går inte att bifoga" in error_for(refused.get_data(as_text=True), "letter")
        assert db.session.scalar(select(func.count()).select_from(SupervisionDetails)) == 0
        done = sara.post("/tillsyn/ny", data={**form, "letter": (BytesIO(PDF), "brev.pdf")},
                         content_type="multipart/form-data")
    assert done.status_code == 302
    [attachment] = db.session.scalars(select(Attachment)).all()
    assert attachment.original_name == "brev.pdf" and attachment.case.kind == "supervision"


def test_a_closed_supervision_case_reopens_to_its_decision(demo):
    case = register(on=date(2026, 3, 2), units=("Boendestöd",))
    sara = user("sara")
    with at(date(2026, 3, 10)):
        services.record_decision(sara, case.reference, decision="injunction", with_fine=True,
                                 decided_on=date(2026, 3, 9), text="Föreläggande vid vite.",
                                 report_back_on=date(2026, 4, 30), expected_version=reload(case).version)
    assert reload(case).supervision.with_fine is True
    report_back = db.session.scalar(select(SupervisionRequest))
    with at(date(2026, 4, 20)):
        services.record_reply(sara, case.reference, request_id=report_back.id, replied_on=date(2026, 4, 20),
                              channel="letter", signed_by="Sara", note="", expected_version=reload(case).version)
        casework.close_case(sara, case.reference, summary="Redovisat.", expected_version=reload(case).version)
    assert reload(case).status == "closed"
    with at(date(2026, 5, 4)):
        casework.reopen_case(sara, case.reference, reason="IVO vill ha en kompletterande redovisning.",
                             expected_version=reload(case).version)
        assert reload(case).status == "decided"
        # A new request cannot come after the decision; the case is closed again once settled.
        casework.close_case(sara, case.reference, summary="Kompletterat.", expected_version=reload(case).version)
    assert reload(case).status == "closed"


def test_a_fine_belongs_only_to_an_injunction(demo):
    case = register(on=date(2026, 3, 2))
    with at(date(2026, 3, 10)):
        try:
            services.record_decision(user("sara"), case.reference, decision="criticism", with_fine=True,
                                     decided_on=date(2026, 3, 9), text="Kritik.", report_back_on=None,
                                     expected_version=reload(case).version)
        except services.SupervisionError as refused:
            assert refused.errors == {"with_fine": "Vite hör bara till ett föreläggande."}
        else:
            raise AssertionError("a fine on criticism was stored")
    assert reload(case).supervision.decision is None


def test_those_who_may_work_it_are_told_of_a_new_supervision_case(demo):
    from app.mailer import OutgoingMail
    case = register(by="sara", on=date(2026, 3, 2), units=("Boendestöd",))
    [mail] = db.session.scalars(select(OutgoingMail)).all()
    # erik (Vuxna) may work it; sara registered it; ulla (Unga), the admin and anna may not.
    assert mail.recipients == "erik@varna.example"
    assert mail.subject == f"Nytt tillsynsärende: {case.reference}"
    assert f"/arenden/{case.reference}" in mail.body and "Inspektion" not in mail.body
