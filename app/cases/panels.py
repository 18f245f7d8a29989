"""The case page's panels: what each feature shows on a case page.

Each feature registers a `Panel` in create_app() (app/__init__.py: _register_case_panels):
a template and a loader. The case page's route asks `for_case(...)` for the panels and
their data, in order, and case.html includes each panel's template with its data as
`panel_data`. So the case page knows no feature by name, a new kind of case adds its panel
without touching it, and no template queries the database through a context processor.
A loader returns None when the panel has nothing to show for this case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    # (user, case, moves, args) -> the panel's data, or None to leave the panel out.
    # `moves` are the moves the person may make now; `args` the page's query parameters.
    load: Callable[[Any, Any, list[str], Mapping[str, str]], Any]
    order: int = 100  # smaller first
    kinds: frozenset[str] | None = None  # the kinds of case it is for (None: every kind)


@dataclass(frozen=True)
class ShownPanel:
    name: str
    template: str
    data: Any


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Idempotent by name: create_app() runs more than once in a process (the tests)."""
    _PANELS[panel.name] = panel


def shown(user, case, moves: list[str], args: Mapping[str, str]) -> bool:
    """Always shown (for the panels that need no data of their own)."""
    return True


# The rows of the case a panel shows, read with the case before the audit entry of the view is
# committed (app.cases.casework.services.view_case), not when the panel's loader asks for them
# (on PostgreSQL a read after that commit opens a transaction of its own). A feature registers
# the name of a collection of Case and the statement of its rows (a `case_id` parameter; built
# once, ordered as the panel wants them); its loader then finds them loaded on the case.
_READ_WITH_CASE: dict[str, Any] = {}


def read_with_case(name: str, statement) -> None:
    """Idempotent by name, as `register`."""
    _READ_WITH_CASE[name] = statement


def reads_with_case() -> tuple[tuple[str, Any], ...]:
    return tuple(_READ_WITH_CASE.items())


def for_case(user, case, moves: list[str], args: Mapping[str, str]) -> list[ShownPanel]:
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        if panel.kinds is not None and case.kind not in panel.kinds:
            continue
        data = panel.load(user, case, moves, args)
        if data is not None:
            shown.append(ShownPanel(panel.name, panel.template, data))
    return shown
