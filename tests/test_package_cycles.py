"""No new import cycle between the packages of app/ (issue: the rules in one place).

A cycle means two features cannot be understood, tested or changed apart. The cycles that
remain are listed here with why; the test fails when another appears, and when one listed
here is gone (then delete its line, so the list stays true).
"""

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Each strongly connected group of packages that still import each other, and why.
KNOWN: set[tuple[str, ...]] = set()  # none left (auth <-> org: create_app hands org its permission check)


def _metrics():
    spec = importlib.util.spec_from_file_location("arch_metrics", ROOT / "scripts" / "arch_metrics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_new_package_cycle():
    metrics = _metrics()
    groups, _direct = metrics.cycles(metrics.package_imports())
    found = {tuple(group) for group in groups}
    assert found - KNOWN == set(), f"a new import cycle between packages: {sorted(found - KNOWN)}"
    assert KNOWN - found == set(), f"a listed cycle is gone, delete it from KNOWN: {sorted(KNOWN - found)}"
