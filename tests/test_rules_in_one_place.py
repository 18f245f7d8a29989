"""Workflow rules live in app/workflow.py (the table) and app/facts.py (the facts it is given).

These scans fail when a rule that was moved there is decided again somewhere else: the
old helpers by name, the old checks by their shape, and the refusal messages outside
app/labels.py. See docs/architecture.md, "The state machine".
"""

import ast
import re
from pathlib import Path

import pytest

from app import workflow

APP = Path(__file__).resolve().parents[1] / "app"
HOME = {APP / "workflow.py", APP / "facts.py", APP / "labels.py"}


def _sources(*suffixes):
    return [p for p in sorted(APP.rglob("*")) if p.suffix in suffixes and p not in HOME]


# (what it was, a regular expression that finds it again)
OFFENDERS = [
    ("complaint escalated once (services)", r"\b_already_escalated\b"),
    ("complaint escalated once (handover)", r"\bcheck_not_escalated\b"),
    ("complaint escalated once (any check)", r"(?<!Case\.)\bhandover\s*[!=]=\s*[\"']to_lex_sarah"),
    ("deadline statuses outside the machine", r"\b_RUNS_WHILE\b|\b_OPEN\s*=\s*\("),
    ("acknowledgement owed (deadlines)", r"\bcheck_acknowledgement_open\b|\backnowledgement_open\b"),
    ("only a serious judgment (lex Sarah)",
     r"\bcan_record_not_notifying\b|judgment\s+is\s+None\s+or\s+not\s+judgment\.serious"),
    ("IVO has already decided", r"ivo\.decision\s+is\s+not\s+None"),
    ("investigation sent twice", r"ivo\.investigation_sent_on\s+is\s+not\s+None"),
    ("IVO decision twice", r"ivo\.ivo_outcome\s+is\s+not\s+None"),
    ("an investigation needs entries", r"exists\(\)\.where\(InvestigationEntry\.case_id"),
    ("feedback needs a reporter", r"reporter_id\s+is\s+[Nn]one\s*(\)|%\}|and\s+|$)"),
    ("the actions list decides its statuses", r"offered\.append\(ActionStatus"),
    ("a lex Sarah facts helper beside facts_for", r"app\.lexsarah\.facts|\bcase_facts\b"),
    # Finalising the notification: the saved draft and the nämnd's details are facts (issue 12).
    ("the notification's draft saved (service)", r"draft_saved_at\s+is\s+None"),
    ("the nämnd's details complete (service)", r"not\s+provider\.complete|\bProviderMissing\b"),
]


@pytest.mark.parametrize(("what", "pattern"), OFFENDERS, ids=[o[0] for o in OFFENDERS])
def test_no_workflow_rule_is_decided_outside_the_machine(what, pattern):
    found = [f"{p.relative_to(APP.parent)}:{n}: {line.strip()}"
             for p in _sources(".py", ".html")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if re.search(pattern, line)]
    assert not found, f"{what}: " + "; ".join(found)


# The services that used to borrow another move's row, and the one move each asks now.
OWN_MOVES = {
    ("cases/deadlines/services.py", "record_acknowledgement"): "acknowledge",
    ("cases/investigation/services.py", "link_similar_case"): "link_case",
    ("cases/investigation/services.py", "unlink_similar_case"): "link_case",
    ("lexsarah/notification.py", "save_notification_draft"): "save_ivo_draft",
    ("lexsarah/notification.py", "record_investigation_sent"): "record_investigation_sent",
    ("lexsarah/notification.py", "record_ivo_decision"): "record_ivo_decision",
    ("lexsarah/informing.py", "record_informing"): "record_informing",
}


@pytest.mark.parametrize(("where", "move"), OWN_MOVES.items(), ids=[f[1] for f in OWN_MOVES])
def test_each_service_asks_its_own_move(where, move):
    path, name = where
    tree = ast.parse((APP / path).read_text(encoding="utf-8"))
    [function] = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name]
    moves = {n.value for n in ast.walk(function)
             if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in workflow.MOVES}
    assert moves == {move}, f"{name} asks {sorted(moves)}"


REFUSALS = ["ingen rapportör i Värna", "redan blivit en lex Sarah-rapport", "inga anteckningar än",
            "behöver ingen mottagningsbekräftelse", "Bara en bedömning som allvarlig",
            "Ställningstagandet om IVO är redan", "skickats till IVO är redan", "IVO:s beslut är redan"]


@pytest.mark.parametrize("message", REFUSALS)
def test_the_refusal_messages_of_requirements_live_only_in_app_labels(message):
    found = [str(p.relative_to(APP.parent)) for p in _sources(".py", ".html")
             if message in p.read_text(encoding="utf-8")]
    assert not found, f"{message!r} written again in {found}"
    assert message in (APP / "labels.py").read_text(encoding="utf-8")
