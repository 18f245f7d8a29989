"""Lex Sarah: the officer's judgment, the decision about IVO (the notification or a reason
not to), the informing of those concerned, the provider's details for the notification.
Which reminders went out is in app/reminders.py (ReminderLog).

Each per-case table is one-to-one with the case (the case id is the primary key) and
hangs off it as ``case.lex_sarah_judgment``, ``case.lex_sarah_ivo`` and
``case.lex_sarah_informing``. The CHECK constraints make the database itself refuse an
inconsistent row, whatever code wrote it; they avoid comparisons with NULL on purpose,
because a CHECK that evaluates to NULL passes.
"""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.auth.models import User
from app.cases.models import POSITION_REASONS, RECORD_SECTIONS, Case
from app.clock import utcnow
from app.extensions import db

OUTCOMES = ("misconduct", "risk", "none")
SERIOUS_OUTCOMES = ("misconduct", "risk")  # the outcomes that are serious or not
IVO_DECISIONS = ("notified", "not_notified")
SENT_VIA = ("e_service", "post")
IVO_OUTCOMES = ("no_criticism", "criticism", "demands")
INFORMING_ITEMS = ("client", "guardian", "case_file", "reporter", "work_group")
# The kinds of activity a notification names (IVO's form "Anmälan – lex Sarah"), by act; the
# Swedish words are in app/lexsarah/labels.py (ACTIVITY_LABELS).
ACTIVITY_KINDS_SOL = ("ifo_children", "ifo_adults", "elderly_home", "elderly_home_care", "hvb",
                      "supported_housing", "family_home", "disability_sol", "other_sol")
ACTIVITY_KINDS_LSS = ("lss_housing_adults", "lss_housing_children", "lss_daily_activity",
                      "lss_personal_assistance", "lss_short_stay", "lss_short_supervision", "lss_companion",
                      "other_lss")
ACTIVITY_KINDS = ACTIVITY_KINDS_SOL + ACTIVITY_KINDS_LSS
# Who runs the activity: the nämnd itself, or a private provider (enskild verksamhet) on its behalf.
ACTIVITY_REGIES = ("own", "private")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _judged_check(prefix: str, by: str, at: str, rationale: str) -> str:
    """Either nothing is decided, or outcome, who, when and a rationale all are."""
    return (f"({prefix} IS NULL AND {by} IS NULL AND {at} IS NULL) OR "
            f"({prefix} IS NOT NULL AND {by} IS NOT NULL AND {at} IS NOT NULL AND {rationale} <> '')")


def _serious_check(outcome: str, serious: str) -> str:
    """`serious` is set exactly when the outcome is misconduct or risk."""
    return (f"({serious} IS NULL AND ({outcome} IS NULL OR {outcome} = 'none')) OR "
            f"({serious} IS NOT NULL AND {outcome} IS NOT NULL AND {_in(outcome, SERIOUS_OUTCOMES)})")


class LexSarahJudgment(db.Model):
    """The officer's judgment of a lex Sarah report, and the investigator's proposal before it.

    The row appears with the first proposal or the judgment, whichever comes first.
    The guided questions' answers are kept with the judgment, so the reasons for it
    can be read later: was a misconduct or a concrete risk established (the outcome),
    was it serious (`serious_harm`), and if not, was there a concrete risk of
    something serious (`serious_risk`); each "no" has its motivation.
    """

    __tablename__ = "lex_sarah_judgments"
    __table_args__ = (
        CheckConstraint(f"outcome IS NULL OR {_in('outcome', OUTCOMES)}", name="outcome"),
        CheckConstraint(_judged_check("outcome", "decided_by_id", "decided_at", "rationale"), name="judged"),
        CheckConstraint(_serious_check("outcome", "serious"), name="serious"),
        CheckConstraint(f"proposed_outcome IS NULL OR {_in('proposed_outcome', OUTCOMES)}",
                        name="proposed_outcome"),
        CheckConstraint(_judged_check("proposed_outcome", "proposed_by_id", "proposed_at", "proposed_rationale"),
                        name="proposed"),
        CheckConstraint(_serious_check("proposed_outcome", "proposed_serious"), name="proposed_serious"),
        CheckConstraint("outcome IS NOT NULL OR proposed_outcome IS NOT NULL", name="not_empty"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)

    # the judgment
    outcome: Mapped[str | None] = mapped_column(String(12), index=True)
    serious: Mapped[bool | None] = mapped_column(index=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    established_motivation: Mapped[str] = mapped_column(Text, default="")
    serious_harm: Mapped[bool | None]
    serious_harm_motivation: Mapped[str] = mapped_column(Text, default="")
    serious_risk: Mapped[bool | None]
    serious_risk_motivation: Mapped[str] = mapped_column(Text, default="")

    # the proposal (an investigator's, or the officer's own draft)
    proposed_outcome: Mapped[str | None] = mapped_column(String(12))
    proposed_serious: Mapped[bool | None]
    proposed_rationale: Mapped[str] = mapped_column(Text, default="")
    proposed_answers: Mapped[dict] = mapped_column(JSON, default=dict)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(backref=backref("lex_sarah_judgment", uselist=False, passive_deletes=True))
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])

    @property
    def judged(self) -> bool:
        return self.outcome is not None

    @property
    def has_proposal(self) -> bool:
        return self.proposed_outcome is not None


class LexSarahIvo(db.Model):
    """The decision about IVO for one case: the notification, or the reason for not notifying.

    Before the decision the row holds the officer's draft of the notification's own
    fields (contact person, planned measures, ...). Finalising (signing) the notification
    freezes the document: the rendered HTML and PDF are stored with their SHA-256, and
    later edits of the case no longer change what is sent. Then the sending is recorded
    (how and when); IVO's reference is added when IVO confirms. After that come the
    investigation (due two months after the notification) and IVO's decision.
    """

    __tablename__ = "lex_sarah_ivo"
    __table_args__ = (
        CheckConstraint(f"decision IS NULL OR {_in('decision', IVO_DECISIONS)}", name="decision"),
        CheckConstraint("(decision IS NULL AND decided_by_id IS NULL AND decided_at IS NULL) OR "
                        "(decision IS NOT NULL AND decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
                        name="decided"),
        CheckConstraint("decision IS NULL OR decision = 'notified' OR not_notifying_reason <> ''",
                        name="reason_when_not_notified"),
        CheckConstraint("decision IS NULL OR decision = 'not_notified' OR "
                        "(sent_via IS NOT NULL AND sent_on IS NOT NULL AND finalised_at IS NOT NULL "
                        "AND document_html IS NOT NULL AND document_pdf IS NOT NULL "
                        "AND html_sha256 IS NOT NULL AND pdf_sha256 IS NOT NULL "
                        "AND investigation_due_on IS NOT NULL)", name="notified_complete"),
        CheckConstraint(f"sent_via IS NULL OR {_in('sent_via', SENT_VIA)}", name="sent_via"),
        CheckConstraint("(sent_on IS NULL AND investigation_sent_on IS NULL AND ivo_outcome IS NULL) OR "
                        "(decision IS NOT NULL AND decision = 'notified')", name="followup_after_notice"),
        CheckConstraint(f"ivo_outcome IS NULL OR ({_in('ivo_outcome', IVO_OUTCOMES)} "
                        "AND ivo_decided_on IS NOT NULL AND ivo_decision_text <> '')", name="ivo_outcome"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    decision: Mapped[str | None] = mapped_column(String(14), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    not_notifying_reason: Mapped[str] = mapped_column(Text, default="")

    # the officer's fields of the notification (the rest comes from the case and the settings)
    service_description: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_title: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    planned_measures: Mapped[str] = mapped_column(Text, default="")
    investigation_attached: Mapped[bool] = mapped_column(default=False)
    investigation_expected_on: Mapped[date | None]
    include_client_identity: Mapped[bool] = mapped_column(default=False)
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_title: Mapped[str] = mapped_column(String(200), default="")
    # The rest of IVO's form (issue 13 point 6). Each may be empty in a draft; finalising
    # requires them (facts in app/facts.py, requirements of the move in app/workflow.py).
    seriousness_motivation: Mapped[str] = mapped_column(Text, default="")
    activity_kind: Mapped[str | None] = mapped_column(String(30))  # one of ACTIVITY_KINDS
    activity_regi: Mapped[str | None] = mapped_column(String(10))  # one of ACTIVITY_REGIES
    private_provider_name: Mapped[str] = mapped_column(String(200), default="")
    private_provider_org_number: Mapped[str] = mapped_column(String(11), default="")
    activity_municipality: Mapped[str] = mapped_column(String(100), default="")
    activity_place: Mapped[str] = mapped_column(String(300), default="")
    police_reported: Mapped[bool | None]
    police_reported_on: Mapped[date | None]
    other_authority_reported: Mapped[bool | None]
    other_authority_name: Mapped[str] = mapped_column(String(200), default="")
    other_authority_reported_on: Mapped[date | None]
    client_informed: Mapped[bool | None]
    client_informed_on: Mapped[date | None]
    client_identity_omitted_reason: Mapped[str] = mapped_column(Text, default="")
    board_reference: Mapped[str] = mapped_column(String(60), default="")  # the nämnd's own diarienummer
    signature_place: Mapped[str] = mapped_column(String(100), default="")
    draft_saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    draft_saved_at: Mapped[datetime | None]

    # finalised and signed (the frozen copy is taken then: that is what is sent), then sent;
    # IVO's reference comes when IVO confirms, perhaps later
    finalised_at: Mapped[datetime | None]
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_via: Mapped[str | None] = mapped_column(String(12))
    sent_on: Mapped[date | None]
    ivo_reference: Mapped[str] = mapped_column(String(60), default="")
    document_html: Mapped[str | None] = mapped_column(Text)
    document_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    html_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    # after the notification
    investigation_due_on: Mapped[date | None] = mapped_column(index=True)
    investigation_sent_on: Mapped[date | None]
    investigation_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ivo_outcome: Mapped[str | None] = mapped_column(String(14))
    ivo_decided_on: Mapped[date | None]
    ivo_decision_text: Mapped[str] = mapped_column(Text, default="")
    ivo_decision_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ivo_decision_recorded_at: Mapped[datetime | None]
    # IVO's requests for a supplement (komplettering) are rows of their own: LexSarahSupplement.

    version: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship(backref=backref("lex_sarah_ivo", uselist=False, passive_deletes=True))
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def notified(self) -> bool:
        return self.decision == "notified"

    @property
    def frozen(self) -> bool:
        return self.document_html is not None

    # What finalising requires of the notification's own fields (app/facts.py turns these into
    # facts). A saved draft is consistent (save_notification_draft checks each answer's details);
    # these say whether each question is answered at all.
    @property
    def activity_described(self) -> bool:
        regi_complete = self.activity_regi == "own" or (
            self.activity_regi == "private" and bool(self.private_provider_name and self.private_provider_org_number))
        return bool(self.activity_kind and regi_complete and self.activity_municipality.strip()
                    and self.activity_place.strip())

    @property
    def other_reports_stated(self) -> bool:
        return (self.police_reported is not None and self.other_authority_reported is not None
                and (not self.police_reported or self.police_reported_on is not None)
                and (not self.other_authority_reported
                     or bool(self.other_authority_name.strip() and self.other_authority_reported_on)))

    @property
    def client_informing_stated(self) -> bool:
        return self.client_informed is not None and (not self.client_informed or self.client_informed_on is not None)


class LexSarahInforming(db.Model):
    """Who was told: the client, the guardian or god man, the client's own case file, the reporter,
    the reporter's work group.

    Each is a date, or "not applicable" with a reason (a non-empty reason means not
    applicable), or not yet done (neither).
    """

    __tablename__ = "lex_sarah_informing"
    __table_args__ = tuple(
        CheckConstraint(f"{item}_on IS NULL OR {item}_na_reason = ''", name=f"{item}_date_or_reason")
        for item in INFORMING_ITEMS
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    client_on: Mapped[date | None]
    client_na_reason: Mapped[str] = mapped_column(Text, default="")
    guardian_on: Mapped[date | None]
    guardian_na_reason: Mapped[str] = mapped_column(Text, default="")
    case_file_on: Mapped[date | None]
    case_file_na_reason: Mapped[str] = mapped_column(Text, default="")
    reporter_on: Mapped[date | None]
    reporter_na_reason: Mapped[str] = mapped_column(Text, default="")
    work_group_on: Mapped[date | None]
    work_group_na_reason: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship(backref=backref("lex_sarah_informing", uselist=False, passive_deletes=True))

    __mapper_args__ = {"version_id_col": version}

    def item(self, name: str) -> tuple[date | None, str]:
        return getattr(self, f"{name}_on"), getattr(self, f"{name}_na_reason")

    def settled(self, name: str) -> bool:
        """Done on a date, or not applicable with a reason."""
        on, reason = self.item(name)
        return on is not None or bool(reason)

    @property
    def complete(self) -> bool:
        return all(map(self.settled, INFORMING_ITEMS))


class LexSarahProtection(db.Model):
    """What the receiver did at once ("omedelbart") to protect the individual: what, when, by whom."""

    __tablename__ = "lex_sarah_protection"
    __table_args__ = (CheckConstraint("what <> '' AND done_by <> ''", name="complete"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    what: Mapped[str] = mapped_column(Text)
    done_on: Mapped[date]
    done_by: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(backref=backref("lex_sarah_protection", uselist=False, passive_deletes=True))


class LexSarahSectionNote(db.Model):
    """An explicit "nothing to record" for one of the nine sections of a lex Sarah investigation
    (SOSFS 2011:5, 5 kap.), with the reason: a section is addressed by an entry or by this. For
    section 5 ("has something similar happened before?") it is the answer "no"."""

    __tablename__ = "lex_sarah_section_notes"
    __table_args__ = (CheckConstraint(_in("section", RECORD_SECTIONS), name="section"),
                      CheckConstraint("reason <> ''", name="reason"))

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    section: Mapped[str] = mapped_column(String(30), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProviderSettings(db.Model):
    """The provider's details for the IVO notification: one row, edited by an admin."""

    __tablename__ = "provider_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    board_name: Mapped[str] = mapped_column(String(200), default="")
    org_number: Mapped[str] = mapped_column(String(11), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_title: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # The lex Sarah paragraphs of socialtjänstlagen (2025:400), once an admin has confirmed them
    # (app/lexsarah/legal.py); None until then, and the notification names the act alone.
    sol_2025_paragraphs: Mapped[str | None] = mapped_column(String(100))
    # The nämnd's municipality: the default municipality of a notification's activity and the
    # place at its signature.
    municipality: Mapped[str] = mapped_column(String(100), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None]

    @property
    def complete(self) -> bool:
        return bool(self.board_name and self.org_number and self.address)


class LexSarahInvestigationDocument(db.Model):
    """The frozen copy of "Utredning enligt lex Sarah" (app/lexsarah/investigation_document.py), taken
    when the investigation is recorded as sent to IVO: the HTML and PDF exactly as sent, with their
    SHA-256. Until then the document is drawn from the record as it is now; afterwards only this
    copy is shown, so later changes of the record do not change what IVO received."""

    __tablename__ = "lex_sarah_investigation_documents"
    __table_args__ = (CheckConstraint("length(html_sha256) = 64 AND length(pdf_sha256) = 64", name="checksums"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    document_html: Mapped[str] = mapped_column(Text)
    document_pdf: Mapped[bytes] = mapped_column(LargeBinary)
    html_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    frozen_at: Mapped[datetime] = mapped_column(default=utcnow)
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(backref=backref("lex_sarah_investigation_document", uselist=False,
                                                      passive_deletes=True))


PROPOSAL_OUTCOMES = ("adopted", "declined")


class LexSarahPositionProposal(db.Model):
    """An investigator's proposal that the officer close the short investigation with a
    ställningstagande (app/lexsarah/position.py). Open until the officer decides: adopted (the
    officer closed it with a ställningstagande) or declined with a reason. One row per proposal,
    so the history stays; at most one open per case (the move propose_position requires it)."""

    __tablename__ = "lex_sarah_position_proposals"
    __table_args__ = (
        CheckConstraint(_in("reason", POSITION_REASONS), name="reason"),
        CheckConstraint("text <> ''", name="text"),
        CheckConstraint(f"outcome IS NULL OR {_in('outcome', PROPOSAL_OUTCOMES)}", name="outcome"),
        CheckConstraint("(outcome IS NULL AND settled_at IS NULL) OR (outcome IS NOT NULL AND settled_at IS NOT NULL)",
                        name="settled"),
        CheckConstraint("outcome IS NULL OR outcome = 'adopted' OR decline_reason <> ''", name="decline_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    linked_reference: Mapped[str] = mapped_column(String(30), default="")
    passed_to: Mapped[str] = mapped_column(String(300), default="")
    passed_on: Mapped[date | None]
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(10))
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    settled_at: Mapped[datetime | None]
    decline_reason: Mapped[str] = mapped_column(Text, default="")

    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])


class LexSarahSupplement(db.Model):
    """IVO's request for a supplement (komplettering) to a notified report: when it came, the last
    day IVO gave, what IVO wants, and when the supplement was sent. IVO may ask more than once; the
    open ones are on the officer's desk and in the daily digest (app/lexsarah/supplement.py)."""

    __tablename__ = "lex_sarah_supplements"
    __table_args__ = (
        CheckConstraint("request_text <> ''", name="request_text"),
        CheckConstraint("due_on >= requested_on", name="due_after_request"),
        CheckConstraint("answered_on IS NULL OR answered_on >= requested_on", name="answer_after_request"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    requested_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    request_text: Mapped[str] = mapped_column(Text)
    answered_on: Mapped[date | None]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(backref=backref("lex_sarah_supplements", passive_deletes=True,
                                                      order_by="LexSarahSupplement.id"))

    @property
    def late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.due_on
