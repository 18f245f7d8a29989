"""docs/statistics.md documents the statistics contract with a complete example: it must have
exactly the keys that app.stats.report.statistics() produces, so a key added to (or renamed
in) the contract without its documentation fails here."""

import json
import re
from pathlib import Path

from app.stats.report import statistics

DOCS = Path(__file__).resolve().parent.parent / "docs" / "statistics.md"
# Objects whose keys are data (names of departments, categories, action types; the channels
# and genders that occur), not part of the contract's shape.
DATA_KEYED = {"by_department", "by_category", "by_channel", "by_type", "client_gender"}


def _shape(value, name: str = ""):
    """The keys of a JSON value, recursively, with the data-keyed objects and lists reduced to their type."""
    if isinstance(value, dict):
        if name in DATA_KEYED:
            return "object of counts"
        return {key: _shape(inner, key) for key, inner in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return "value"


def test_the_documented_example_has_the_contracts_keys(app):
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## The contract, version 2", 1)[1]
    example = json.loads(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))

    produced = statistics(example["year"])

    assert list(example) == list(produced)  # the same top-level keys, in the same order
    assert _shape(example) == _shape(produced)
