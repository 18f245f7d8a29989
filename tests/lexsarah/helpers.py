"""Lex Sarah cases for the tests: filed through app.cases.filing.open_case, then put in the
status the test needs (the steps before the judgment belong to other features)."""

import re
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock
from app.audit import AuditEvent
from app.auth.models import User
from app.cases.filing import open_case
from app.cases.models import Case, Category
from app.extensions import db
from app.lexsarah import common, informing, judgment, notification
from app.lexsarah.models import ProviderSettings
from app.org.models import Unit
from app.workflow import MoveRefused

REPORTED = datetime(2026, 3, 2, 9, 0)  # received 10:00 in Stockholm
REPORT_DAY = date(2026, 3, 2)
JUDGED = datetime(2026, 3, 20, 9, 0)
JUDGED_DAY = date(2026, 3, 20)

DESCRIPTION = ("Brukaren fick inte sina läkemedel under två dygn. Personalen på kvällspasset "
               "upptäckte det och kontaktade sjuksköterskan; det är en händelse med åäö – och tankstreck.")
CLIENT_NAME, CLIENT_PIN = "Zlatan Zäta", "191212121212"

SERIOUS = {"established": "misconduct", "serious_harm": True,
           "rationale": "Två dygn utan läkemedel innebar en allvarlig risk för brukarens hälsa."}
NOT_SERIOUS = {"established": "misconduct", "serious_harm": False,
               "serious_harm_motivation": "Ingen skada uppstod och det rättades inom en timme.",
               "serious_risk": False,
               "serious_risk_motivation": "Läkemedlet var inte livsviktigt och dosen kunde tas senare.",
               "rationale": "Ett missförhållande, men inte allvarligt."}
NONE = {"established": "none", "established_motivation": "Brukaren hade själv avböjt medicinen.",
        "rationale": "Inget missförhållande; personalen följde rutinen."}

DRAFT = {"service_description": "Vuxna – Boendestöd enligt SoL", "contact_name": "Sara Svensson",
         "contact_title": "Lex Sarah-ansvarig", "contact_phone": "010-123 45 67", "contact_email": "",
         "planned_measures": "Ny rutin för signering av läkemedel; utbildning för personalgruppen.",
         "investigation_attached": False, "investigation_expected_on": date(2026, 5, 1),
         "include_client_identity": False, "signatory_name": "Sara Svensson", "signatory_title": "Lex Sarah-ansvarig",
         # the rest of IVO's form (issue 13 point 6)
         "client_identity_omitted_reason": "Uppgiften behövs inte för IVO:s bedömning.",
         "seriousness_motivation": "Två dygn utan läkemedel kunde ha skadat brukarens hälsa allvarligt.",
         "activity_kind": "disability_sol", "activity_regi": "own", "private_provider_name": "",
         "private_provider_org_number": "", "activity_municipality": "Exempelby",
         "activity_place": "Boendestöd, Storgatan 1, 123 45 Exempelby",
         "police_reported": False, "police_reported_on": None, "other_authority_reported": False,
         "other_authority_name": "", "other_authority_reported_on": None,
         "client_informed": True, "client_informed_on": date(2026, 3, 10),
         "board_reference": "SN 2026/0142", "signature_place": "Exempelby"}


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def unit(name: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.name == name))


def make_case(status: str = "awaiting_judgment", unit_name: str = "Boendestöd", *, reporter: str | None = "anna",
              reported: datetime = REPORTED, **fields) -> Case:
    values = {"summary": "Utebliven läkemedelsgivning", "description": DESCRIPTION,
              "occurred_on": date(2026, 2, 27), "noticed_on": date(2026, 3, 1),
              "noticed_how": "Upptäcktes vid överlämningen på kvällen.",
              "consequences": "Brukaren blev yr och orolig.", "immediate_measures": "Sjuksköterskan kontaktades.",
              "lex_sarah_type": "misconduct", "client_name": CLIENT_NAME, "client_pin": CLIENT_PIN,
              "client_gender": "male", "client_is_child": False}
    values.update(fields)
    categories = [db.session.scalar(select(Category).where(Category.kind == "lex_sarah",
                                                           Category.name == "Utebliven insats"))]
    with clock.frozen(reported):
        case = open_case(kind="lex_sarah", unit=unit(unit_name), reporter=user(reporter) if reporter else None,
                         categories=[c for c in categories if c is not None], **values)
    case.status = status
    db.session.commit()
    return case


def set_provider() -> ProviderSettings:
    settings = ProviderSettings(id=1, board_name="Socialnämnden i Exempelby", org_number="212000-0142",
                                address="Box 100, 123 45 Exempelby", municipality="Exempelby",
                                contact_name="Kim Kontakt",
                                contact_phone="010-100 00 00")
    db.session.add(settings)
    unit("Boendestöd").address = "Storgatan 1, 123 45 Exempelby"
    db.session.commit()
    return settings


@contextmanager
def refused_move(match: str | None = None):
    """The state machine refuses the move (workflow.MoveRefused, the page's 409), in these words."""
    with pytest.raises(MoveRefused) as refused:
        yield refused
    if match is not None:
        assert re.search(match, common.refusal_message(refused.value)), common.refusal_message(refused.value)


def loaded(case: Case) -> dict:
    """A command's reference and the case's version, as a form loaded now would send them."""
    return {"reference": case.reference, "expected_version": case.version}


def judge(case: Case, answers: dict | None = None, at: datetime = JUDGED, who: str = "sara"):
    with clock.frozen(at):
        return judgment.record_judgment(user(who), **loaded(case),
                                        **(answers or SERIOUS))


def draft(case: Case, at: datetime = JUDGED, **changes):
    with clock.frozen(at):
        return notification.save_notification_draft(user("sara"), **loaded(case), **{**DRAFT, **changes})


def finalise(case: Case, at: datetime = JUDGED):
    with clock.frozen(at):
        return notification.finalise_notification(user("sara"), **loaded(case))


def notify(case: Case, sent_on: date = JUDGED_DAY, at: datetime = JUDGED, reference: str = "8.5.1-1234/2026",
           via: str = "e_service"):
    """Finalise (sign) the notification, if not yet, and record it as sent."""
    if case.lex_sarah_ivo is None or case.lex_sarah_ivo.finalised_at is None:
        finalise(case, at=at)
    with clock.frozen(at):
        return notification.notify_ivo(user("sara"), **loaded(case), sent_via=via, sent_on=sent_on,
                                       ivo_reference=reference)


def reload(case: Case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def audit_actions(**where) -> list[str]:
    query = select(AuditEvent.action).order_by(AuditEvent.id)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list(db.session.scalars(query))


def denials() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "permission.denied")
                                   .order_by(AuditEvent.id)))


def inform_all(case: Case, at: datetime = JUDGED, who: str = "sara"):
    """Settle every informing item (a date for each, the guardian not applicable)."""
    item = informing.InformingItem
    with clock.frozen(at):
        return informing.record_informing(user(who), **loaded(case), items={
            "client": item(on=at.date()), "case_file": item(on=at.date()), "reporter": item(on=at.date()),
            "work_group": item(on=at.date()),
            "guardian": item(not_applicable=True, reason="Brukaren är vuxen och har ingen god man.")})


def complete_record(case: Case, at: datetime = JUDGED, who: str = "erik"):
    """Every section of the investigation not yet addressed gets "nothing to record"; causes and risk."""
    from app.cases.investigation import services as investigation
    from app.cases.models import RECORD_SECTIONS
    from app.facts import addressed_sections
    from app.lexsarah import record
    with clock.frozen(at):
        for section in RECORD_SECTIONS:
            if section not in addressed_sections(reload(case)):
                record.mark_nothing_to_record(user(who), case.reference, section=section,
                                              reason="Inget har framkommit under punkten.",
                                              expected_version=reload(case).version)
        investigation.record_causes(user(who), case.reference, areas=["processes"], text="Rutinen följdes inte.",
                                    expected_version=reload(case).version)
        investigation.record_risk(user(who), case.reference, probability=2, consequence=2,
                                  text="Kan hända igen.", expected_version=reload(case).version)


def protect(case: Case, who: str = "sara") -> Case:
    """Record the immediate protection, as every lex Sarah report must (issue 13), the day it came in."""
    from app.lexsarah import protection
    with clock.frozen(case.received_at):
        protection.record_protection(user(who), case.reference, what="Annan personal tog över.",
                                     done_on=clock.to_local(case.received_at).date(), done_by="Enhetschefen",
                                     expected_version=reload(case).version)
    return reload(case)
