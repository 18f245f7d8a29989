"""Kinds and statuses are app.workflow's Kind and Status, never bare strings, and their
Swedish words are written once, in app/labels.py.

The scan counts string literals equal to a kind or status value in app/ (outside
app/workflow.py; migrations and tests are outside app/). What is left is not a kind or a
status but a word that happens to be spelt the same, listed below with why.
"""

import ast
from pathlib import Path

import pytest

from app import labels, workflow

APP = Path(__file__).resolve().parents[1] / "app"
VALUES = {k.value for k in workflow.Kind} | {s.value for s in workflow.Status}

# file -> (how many literals are allowed, why they are not kinds or statuses)
ALLOWED = {
    "stats/report.py": (32, "keys of the statistics contract (docs/statistics.md): 'received', 'answered', "
                            "'lex_sarah', 'supervision' name counts and sections in the JSON, not a case's state"),
    "stats/contract.py": (9, "the contract's keys and the sections of the chapter (SECTION_CHAPTERS, TREND_KINDS)"),
    "stats/sentences.py": (16, "the contract's keys the sentences read ('lex_sarah', 'received', 'answered')"),
    "stats/models.py": (1, "TEXT_SECTIONS: the chapter's section 'supervision', a key of the contract"),
    "cases/casework/services.py": (2, "journal event names 'answered' and 'closed' (journal.add_event)"),
    "journal_labels.py": (2, "EVENT_LABELS keys for those journal events"),
    "cases/models.py": (2, "relationship(back_populates='complaint'): the attribute's name; COMPLAINT_TYPE, "
                           "the type of a complaint case (klagomål, not synpunkt), spelt like the kind"),
    "lexsarah/models.py": (2, "CheckConstraint(name='judged') and (name='decided'): the constraints' names"),
    "supervision/models.py": (1, "backref('supervision'): the attribute's name (case.supervision)"),
    "supervision/routes.py": (1, "Blueprint('supervision'): the blueprint's name"),
    "supervision/statistics.py": (4, "the statistics contract's key 'received' of the supervision block"),
    "lexsarah/desk.py": (2, "the officer's desk list 'awaiting_judgment' (DESK_LISTS)"),
    # Not yet converted: the demo data was written in parallel with the vocabulary and merged
    # with it; any count until it uses Kind/Status (a follow-up, not a rule).
    "demo_cases.py": (None, "demo data written in parallel; to convert to Kind/Status"),
}


def _docstrings(tree) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            found.add(id(node.body[0].value))
    return found


def _bare_literals() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for path in sorted(APP.rglob("*.py")):
        if path == APP / "workflow.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        lines = [node.lineno for node in ast.walk(tree)
                 if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in VALUES
                 and id(node) not in docstrings]
        if lines:
            found[str(path.relative_to(APP))] = sorted(lines)
    return found


def test_no_bare_kind_or_status_literals_outside_the_allow_list():
    found = _bare_literals()
    problems = [f"app/{name}: {len(lines)} at lines {lines}" for name, lines in found.items()
                if ALLOWED.get(name, (0, ""))[0] is not None and len(lines) > ALLOWED.get(name, (0, ""))[0]]
    assert not problems, "use workflow.Kind / workflow.Status: " + "; ".join(problems)


def test_the_allow_list_is_not_larger_than_needed():
    found = _bare_literals()
    stale = {name: (allowed, len(found.get(name, []))) for name, (allowed, _why) in ALLOWED.items()
             if allowed is not None and len(found.get(name, [])) < allowed}
    assert not stale, f"lower these counts: {stale}"


@pytest.mark.parametrize(("words", "names"), [
    (labels.KIND_LABELS, set(workflow.Kind)), (labels.KIND_LIST_LABELS, set(workflow.Kind)),
    (labels.KIND_WORDS_SV, set(workflow.Kind)), (labels.STATUS_LABELS, set(workflow.Status)),
    (labels.MOVE_LABELS, set(workflow.MOVES)),
], ids=["kinds", "kind lists", "kind words", "statuses", "moves"])
def test_every_kind_status_and_move_has_one_distinct_swedish_label(words, names):
    assert set(words) == names
    texts = [str(text) for text in words.values()]  # msgids, outside a request: the Swedish
    assert all(text.strip() for text in texts) and len(set(texts)) == len(texts)


def test_status_labels():
    assert {status: str(text) for status, text in labels.STATUS_LABELS.items()} == {
        workflow.Status.RECEIVED: "Mottagen",
        workflow.Status.INVESTIGATING: "Under utredning",
        workflow.Status.AWAITING_JUDGMENT: "Väntar på bedömning",
        workflow.Status.JUDGED: "Bedömd",
        workflow.Status.ANSWERED: "Besvarad",
        workflow.Status.ANSWERING: "Besvaras",
        workflow.Status.AWAITING_DECISION: "Väntar på myndighetens beslut",
        workflow.Status.DECIDED: "Beslut fattat",
        workflow.Status.CLOSED: "Avslutad",
    }


def test_statuses_are_labelled_in_flow_order():
    assert list(labels.STATUS_LABELS) == list(workflow.Status)
    assert list(labels.MOVE_LABELS) == list(workflow.MOVES)


def test_the_labels_are_written_nowhere_else():
    # The duplicates the vocabulary replaced: KIND_LABELS four times, the status and move
    # labels in app/cases/casework/forms.py and app/workflow.py.
    for path in APP.rglob("*.py"):
        if path == APP / "labels.py":
            continue
        text = path.read_text(encoding="utf-8")
        for name in ("KIND_LABELS = ", "STATUS_LABELS: dict[Status", "MOVE_LABELS = ", "MOVE_LABELS: ",
                     "KIND_NAMES_SV = "):
            assert name not in text, f"{name.strip()} defined again in {path.relative_to(APP)}"
    assert '"Under utredning"' not in (APP / "workflow.py").read_text(encoding="utf-8")
