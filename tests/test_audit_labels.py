"""Every action name the code writes to the audit log has a Swedish label (app/audit_labels.py).

The names are collected from the source: calls to audit.record and to the few helpers that
call it with a prefix. A name built at run time must be listed in DYNAMIC with every value
it can take, or this test fails and says where it is.
"""

import ast
from pathlib import Path

from app.actions.workflow import MOVE_TO_STATUS
from app.audit_labels import LABELS, label

APP = Path(__file__).resolve().parent.parent / "app"

# Helpers that write an audit event: name -> (prefix added to the name, index of the name argument).
WRAPPERS = {
    "record": ("", 0),             # audit.record(...), and record(...) inside app/audit.py
    "_record": ("", 0),            # a feature's own wrapper, _record("case.viewed", actor, case)
    "audit_case": ("lexsarah.", 0),  # app/lexsarah/common.py: audit_case("viewed", actor, case)
    "end_all_sessions": ("session.", 1),  # end_all_sessions(user, "logout")
}

# Names built from a variable: (file, the expression as written) -> every name it can give.
DYNAMIC = {
    ("actions/services.py", 'f"action.{move}"'): {f"action.{move}" for move in MOVE_TO_STATUS.values()},
}


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        if call.func.attr == "record" and isinstance(call.func.value, ast.Name) and \
                call.func.value.id in ("audit", "commands"):  # commands.record: a case command's entry
            return "record"
        if call.func.attr == "end_all_sessions":
            return "end_all_sessions"
        return None
    if isinstance(call.func, ast.Name) and call.func.id in WRAPPERS:
        return call.func.id
    return None


def _values(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _values(node.body), _values(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def recorded_actions() -> tuple[set[str], list[str]]:
    """Every action name written somewhere in app/, and the places this test cannot read."""
    found: set[str] = set()
    unreadable: list[str] = []
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP).as_posix()
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        wrapper_params: dict[ast.AST, set[str]] = {}
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef) and function.name in WRAPPERS:
                params = {a.arg for a in function.args.args}
                for inner in ast.walk(function):
                    wrapper_params[inner] = params
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _called_name(node)
            if name is None or (name == "record" and relative != "audit.py"
                                and not isinstance(node.func, ast.Attribute)):
                continue
            prefix, index = WRAPPERS[name]
            if len(node.args) <= index:
                continue  # called with keywords only: not a writer of a name
            argument = node.args[index]
            values = _values(argument)
            if values is not None:
                found |= {prefix + value for value in values}
                continue
            written = ast.get_source_segment(source, argument)
            if (relative, written) in DYNAMIC:
                found |= DYNAMIC[(relative, written)]
                continue
            # Inside a wrapper, passing its own parameter on: the wrapper's callers are read instead.
            params = wrapper_params.get(node, set())
            names_used = {n.id for n in ast.walk(argument) if isinstance(n, ast.Name)}
            if names_used and names_used <= params:
                continue
            unreadable.append(f"app/{relative}:{node.lineno}: {written}")
    return found, unreadable


def test_the_source_is_read():
    found, unreadable = recorded_actions()
    assert not unreadable, ("audit actions built at run time; add them to DYNAMIC in this test:\n"
                            + "\n".join(unreadable))
    # A sample from each way of writing one, so that a broken reader cannot pass by finding nothing.
    assert {"login.success", "case.viewed", "lexsarah.judgment_recorded", "session.logout", "action.complete",
            "unit.deactivated", "permission.denied", "audit.verified", "outbox.viewed"} <= found


def test_every_recorded_action_has_a_label():
    found, _ = recorded_actions()
    missing = sorted(found - LABELS.keys())
    assert not missing, "audit actions without a label in app/audit_labels.py: " + ", ".join(missing)


def test_no_label_for_an_action_nobody_records():
    found, _ = recorded_actions()
    assert sorted(LABELS.keys() - found) == []


def test_an_unknown_action_is_shown_as_stored(app):
    assert label("something.new") == "something.new"
    assert label("case.viewed") == "Ärende läst"


def test_record_refuses_a_name_without_a_label(app):
    # The registry and the code stay in step at run time too, not only in this scan.
    import pytest

    from app import audit
    with pytest.raises(ValueError, match="no label"):
        audit.record("case.something_new")
    audit.record("case.viewed")  # a labelled one is fine
