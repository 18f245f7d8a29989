"""Supervision cases in the import of earlier years (app/imports/services.py): the optional
columns `origin`, `subject` and `ivo_decision`, checked per row and written next to the
imported case row. What the old register does not know is not invented: the authority is
IVO (the register's supervision cases are IVO's), its diarienummer says it was imported,
the letter's date is the received date, a decision's date the closed date (or the received
date), and whether an injunction carried a fine is left unknown."""

from flask_babel import gettext as _
from sqlalchemy import insert

from app.extensions import db
from app.supervision.models import DECISIONS, ORIGINS, SUBJECTS, SupervisionDetails, supervision_units
from app.workflow import Kind

COLUMNS = ("origin", "subject", "ivo_decision")


def parse(kind: str | None, value: dict[str, str], problem, *, triage: str | None) -> dict | None:
    """The supervision columns of one row (problem(column, message) for each error); None for
    another kind, which must leave them empty."""
    given = {column: value.get(column, "") for column in COLUMNS}
    if kind != Kind.SUPERVISION:
        for column, text in given.items():
            # ivo_decision is also a lex Sarah column, checked by app.imports.services.
            if text and kind and column != "ivo_decision":
                problem(column, _("Anges bara för tillsynsärenden (kind supervision)."))
        return None
    found = {}
    for column, allowed, missing in (
            ("origin", ORIGINS, _("Ange hur tillsynen inleddes: initiative, complaint eller lex_sarah.")),
            ("subject", SUBJECTS, _("Ange vad tillsynen gällde: activity, individual_case eller theme."))):
        if not given[column]:
            problem(column, missing)
        elif given[column] not in allowed:
            problem(column, _("Okänt värde %(value)s. Tillåtna värden: %(allowed)s.", value=given[column],
                              allowed=", ".join(allowed)))
        else:
            found[column] = given[column]
    decision = given["ivo_decision"]
    if decision and decision not in DECISIONS:
        problem("ivo_decision", _("Okänt värde %(value)s. Tillåtna värden: %(allowed)s.", value=decision,
                                  allowed=", ".join(DECISIONS)))
    found["decision"] = decision if decision in DECISIONS else None
    if triage:
        problem("triage", _("Anges inte för tillsynsärenden: nämnden beslutar inte om att utreda en tillsyn."))
    return found


def write(pairs: list, unit_ids: dict[int, int], decider) -> None:
    """The details and the unit concerned of each imported supervision case ((case id, row) pairs)."""
    if not pairs:
        return
    details, units = [], []
    for case_id, row in pairs:
        decision = row.supervision["decision"]
        details.append({
            "case_id": case_id, "authority": "ivo", "authority_name": "",
            "authority_reference": _("Uppgift saknas (importerad)"), "letter_on": row.received_on,
            "subject": row.supervision["subject"], "origin": row.supervision["origin"], "board_reference": "",
            "registered_by_id": decider.id, "decision": decision,
            "decided_on": (row.closed_on or row.received_on) if decision else None, "with_fine": None,
            "decision_text": _("Importerat beslut från tidigare års register.") if decision else "",
            "decision_recorded_by_id": decider.id if decision else None})
        units.append({"case_id": case_id, "unit_id": unit_ids[row.line]})
    db.session.execute(insert(SupervisionDetails.__table__), details)
    db.session.execute(insert(supervision_units), units)
