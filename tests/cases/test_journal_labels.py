"""Every journal event the application writes has Swedish words on the case page."""

import pathlib
import re

from app.journal_labels import EVENT_LABELS

APP = pathlib.Path(__file__).resolve().parents[2] / "app"


def test_every_event_code_written_anywhere_has_a_label():
    written = set()
    for source in APP.rglob("*.py"):
        written |= set(re.findall(r'add_event\(\s*[\w.]+,\s*"([a-z_]+)"', source.read_text(encoding="utf-8")))
    assert len(written) > 20  # the scan itself works
    assert sorted(written - set(EVENT_LABELS)) == []


def test_the_action_events_chosen_at_run_time_have_labels():
    # app.actions.services picks the event code from a dict, which the scan above cannot see.
    source = (APP / "actions" / "services.py").read_text(encoding="utf-8")
    codes = set(re.findall(r': "(action_[a-z_]+)"', source))  # the values of that dict
    assert {"action_started", "action_completed", "action_cancelled"} <= codes
    assert sorted(codes - set(EVENT_LABELS)) == []
