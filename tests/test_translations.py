"""The English catalogue: complete, placeholders intact, compiles, is used, and keeps up with the code.

Swedish is the source language (every msgid is Swedish); English is
app/translations/en/LC_MESSAGES/messages.po. When a test here fails because a
text has no translation, run `make messages` and translate the new entries in
that file (no "fuzzy" flags, every %(name)s kept).
"""

import re
import shlex
from pathlib import Path

import pytest
from babel.messages import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"

# %(name)s, %(n)d, %s, %%: what Python's %-formatting substitutes.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _forms(value) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)


def _label(message) -> str:
    return repr(_forms(message.id)[0])[:100]


@pytest.fixture(scope="module")
def english() -> Catalog:
    with PO_PATH.open("rb") as f:
        return read_po(f, locale="en")


def _entries(catalog: Catalog):
    return [m for m in catalog if m.id]


# --- (a) complete --------------------------------------------------------------------------------

def test_every_english_entry_is_translated_and_none_is_fuzzy(english):
    untranslated = [_label(m) for m in _entries(english) if not all(s.strip() for s in _forms(m.string))]
    fuzzy = [_label(m) for m in _entries(english) if m.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated in {PO_PATH.name}: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {PO_PATH.name} (check, then remove the flag): {fuzzy[:20]}"


def test_plural_entries_have_both_english_forms(english):
    assert english.num_plurals == 2
    broken = [_label(m) for m in _entries(english)
              if m.pluralizable and (not isinstance(m.string, (list, tuple)) or len(m.string) != 2)]
    assert not broken, broken


# --- (b) placeholders ----------------------------------------------------------------------------

def test_every_placeholder_of_the_msgid_is_in_the_translation(english):
    problems = []
    for message in _entries(english):
        wanted = {p for form in _forms(message.id) for p in PLACEHOLDER.findall(form)}
        for text in _forms(message.string):
            found = set(PLACEHOLDER.findall(text))
            if found != wanted:
                problems.append(f"{_label(message)}: missing {sorted(wanted - found)}, "
                                f"unknown {sorted(found - wanted)}")
    assert not problems, "\n".join(problems)


def test_babel_finds_no_format_errors(english):
    errors = [f"{_label(m)}: {[str(e) for e in errs]}" for m, errs in english.check()]
    assert not errors, "\n".join(errors)


# --- (c) compiles and is used --------------------------------------------------------------------

@pytest.fixture(scope="module")
def compiled_dir(tmp_path_factory, english) -> Path:
    """The catalogue compiled with Babel, outside the working tree (compiled .mo files are not committed)."""
    directory = tmp_path_factory.mktemp("translations")
    target = directory / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as f:
        write_mo(f, english)
    return directory


@pytest.fixture
def app_config(compiled_dir):
    return {"BABEL_TRANSLATION_DIRECTORIES": str(compiled_dir)}


def test_login_page_is_swedish_by_default_and_english_on_request(client):
    page = client.get("/logga-in").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "Logga in i Värna" in page

    client.post("/sprak", data={"language": "en", "next": "/logga-in"})
    page = client.get("/logga-in").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Log in to Värna</h1>" in page
    assert "Logga in i Värna" not in page
    assert "Username" in page and "Password" in page  # lazy form labels (_l) too

    client.post("/sprak", data={"language": "sv", "next": "/logga-in"})
    assert "Logga in i Värna" in client.get("/logga-in").get_data(as_text=True)


def test_english_plurals_and_placeholders_work_at_run_time(app):
    from flask_babel import force_locale, gettext, ngettext

    with app.test_request_context(), force_locale("en"):
        assert ngettext("%(num)d åtgärd", "%(num)d åtgärder", 1) == "1 action"
        assert ngettext("%(num)d åtgärd", "%(num)d åtgärder", 3) == "3 actions"
        assert gettext("Enheten %(name)s är skapad.", name="Boendestöd") == "The unit Boendestöd has been created."


# --- (d) up to date with the code ----------------------------------------------------------------

def _extract_command() -> list[str]:
    """The `pybabel extract` line of the Makefile's `messages` target, so the test extracts as `make messages` does."""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if "pybabel extract" in line:
            return shlex.split(line.split("pybabel", 1)[1])
    raise AssertionError("no `pybabel extract` line in the Makefile")


def _extract_from_code() -> dict:
    args = _extract_command()
    mapping_file = args[args.index("-F") + 1]
    keywords = dict(DEFAULT_KEYWORDS)
    if "--no-default-keywords" in args:
        keywords = {}
    keywords.update(parse_keywords([args[i + 1] for i, arg in enumerate(args) if arg in ("-k", "--keyword")]))
    with (ROOT / mapping_file).open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename=mapping_file)

    def only_the_app(path: str) -> bool:  # the mapping covers app/ only: skip .venv, tests, migrations, ...
        relative = Path(path).relative_to(ROOT).parts
        return relative[0] == "app" and not relative[-1].startswith((".", "_"))

    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords, directory_filter=only_the_app):
        found.setdefault((message, context), f"{filename}:{lineno}")
    return found


def test_every_text_in_the_code_is_in_the_english_catalogue(english):
    in_code = _extract_from_code()
    assert len(in_code) > 1000, "extraction found almost nothing: is babel.cfg right?"

    known = {(m.id, m.context) for m in _entries(english)}
    missing = [f"{where}: {message!r}" for (message, context), where in sorted(in_code.items(), key=lambda i: i[1])
               if (message, context) not in known]
    assert not missing, (f"{len(missing)} text(s) in the code have no English translation. Run `make messages` "
                         f"and translate them in {PO_PATH.relative_to(ROOT)}:\n" + "\n".join(missing[:50]))
