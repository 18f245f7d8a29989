"""The import of earlier years' cases (issues 7 and 15): check the whole file, then import it all or nothing.

The file is what a Swedish office really has: CSV separated by `;` (Swedish Excel) or `,`, in
UTF-8 (with or without a byte order mark) or Windows-1252 (what Swedish Excel saves), or an
Excel workbook (XLSX, its first sheet). Its header names these columns (in any order; an empty
cell means "not known"):

    reference,kind,received_date,department,unit,summary,categories,channel,triage,judgment,
    serious,ivo_notified_date,handled_as_deviation,closed_date,client_gender

and, optionally (a file without them imports as before), OPTIONAL_COLUMNS:

    complaint_type,answered_date,triage_reason,ivo_decision,origin_reference

and, for kind `supervision`, origin and subject (with ivo_decision, which for a supervision
case may also be `injunction`); app/supervision/imports.py checks and writes those rows.

Every row is checked before anything is written, and every problem is reported with its
line and column; one bad row means nothing is imported. The reference identifies a case:
a row whose reference was imported before is left as it is, so importing the same file
twice changes nothing.

Imported cases are closed, read-only history (`imported=True`; app.auth.permissions lets
nobody work them). They carry what the statistics count in the same columns and tables
as the cases handled in Värna, so one set of queries counts both: the triage decision
and the hand-over on the case, the judgment in lex_sarah_judgments, the notification in
lex_sarah_ivo, the channel in complaint_details. Those tables' CHECK constraints ask for
more than a spreadsheet knows (who decided, when, the notification document); the import
fills them with the import's system account, the nearest known date and a document that
says it was imported, and never invents a judgment, a seriousness or a notification.

The writing is done in bulk (executemany, chunks of CHUNK rows), so 100,000 rows take
seconds rather than minutes.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update

from app import audit
from app.auth.models import User
from app.auth.permissions import Action, ensure
from app.cases.models import (
    CASE_KINDS,
    CLIENT_GENDERS,
    COMPLAINT_CHANNELS,
    COMPLAINT_TYPE,
    COMPLAINT_TYPES,
    REFERENCE_PREFIXES,
    Case,
    Category,
    ComplaintDetails,
    JournalEvent,
    ReferenceCounter,
    case_categories,
)
from app.clock import add_months, local_moment, today_local, utcnow
from app.extensions import db
from app.lexsarah.common import INVESTIGATION_MONTHS
from app.lexsarah.models import LexSarahIvo, LexSarahJudgment
from app.org.models import Unit
from app.supervision import imports as supervision_imports
from app.workflow import Kind, Status

COLUMNS = ("reference", "kind", "received_date", "department", "unit", "summary", "categories", "channel",
           "triage", "judgment", "serious", "ivo_notified_date", "handled_as_deviation", "closed_date",
           "client_gender")
# Optional columns (issue 15): present or not, each on its own.
OPTIONAL_COLUMNS = ("complaint_type", "answered_date", "triage_reason", "ivo_decision", "origin_reference",
                    *(c for c in supervision_imports.COLUMNS if c != "ivo_decision"))
ALL_COLUMNS = COLUMNS + OPTIONAL_COLUMNS
TRIAGE_VALUES = {"investigate": "investigate", "not_investigated": "not_investigate"}
# The reasons not to investigate the statistics count (app.stats.report.NOT_INVESTIGATED_REASONS), per kind.
TRIAGE_REASONS = {Kind.DEVIATION: ("not_caused_by_service", "not_own_service", "already_investigated"),
                  Kind.LEX_SARAH: ("no_misconduct", "already_investigated", "not_own_service", "health_care")}
IVO_DECISIONS = ("no_criticism", "criticism", "demands")
# Which kind a hand-over may make from which: a lex Sarah report from a deviation or a complaint, a
# deviation from a lex Sarah report (handled as a deviation).
HANDOVER_FROM = {Kind.LEX_SARAH: (Kind.DEVIATION, Kind.COMPLAINT), Kind.DEVIATION: (Kind.LEX_SARAH,)}
JUDGMENTS = ("misconduct", "risk", "none")
YES_NO = {"yes": True, "no": False}
ADMINISTRATION_NAME = "Socialförvaltningen"  # the top of the tree when --create-units starts from nothing
SYSTEM_USERNAME = "varna-import"
CHUNK = 5000
MAX_REFERENCE, MAX_SUMMARY, MAX_NAME = 20, 200, 200
IMPORTED_KINDS = (*CASE_KINDS, Kind.SUPERVISION)


@dataclass(frozen=True)
class Problem:
    """One error: the line of the file (1 is the header; 0 the file as a whole), the column, and why."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return self.message
        if self.column:
            return _("Rad %(line)d, kolumn %(column)s: %(message)s", line=self.line, column=self.column,
                     message=self.message)
        return _("Rad %(line)d: %(message)s", line=self.line, message=self.message)


@dataclass
class Row:
    line: int
    reference: str
    kind: str
    supervision: dict | None
    received_on: date
    department: str
    unit: str
    summary: str
    categories: list[str]
    channel: str | None
    triage: str | None
    judgment: str | None
    serious: bool | None
    ivo_notified_on: date | None
    handed_over: bool
    closed_on: date | None
    client_gender: str | None
    complaint_type: str | None = None
    answered_on: date | None = None
    triage_reason: str | None = None
    ivo_decision: str | None = None
    origin_reference: str = ""


@dataclass
class ImportResult:
    """What an import did (or, with problems, why it did nothing)."""

    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    already_imported: int = 0
    units_created: list[str] = field(default_factory=list)
    categories_created: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading and checking -----------------------------------------------------------------------

def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def _decode(data: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 (a byte order mark is dropped), else Windows-1252, what Swedish Excel saves as "CSV"."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), None
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return None, Problem(line, "", _("Filen går inte att läsa som text. Spara den som CSV (UTF-8) eller som "
                                         "Excel-arbetsbok (.xlsx) och försök igen."))


def _delimiter(text: str) -> str:
    """`;` or `,`, whichever the header line holds more of (Swedish Excel separates with `;`)."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_records(data: bytes) -> tuple[list[list[str]] | None, Problem | None]:
    """The rows of the workbook's first sheet, every cell as the text a CSV would hold (dates as YYYY-MM-DD)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any damage to the file is the same problem for the person uploading it
        return None, Problem(0, "", _("Excel-filen går inte att läsa. Spara den på nytt som Excel-arbetsbok "
                                      "(.xlsx) eller som CSV och försök igen."))
    sheet = workbook.worksheets[0]
    records = [[_xlsx_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    # Excel keeps formatted but empty cells to the right: cut every row to the header's width.
    if records:
        width = len(records[0])
        while width and not records[0][width - 1].strip():
            width -= 1
        records = [record[:width] + [""] * (width - len(record[:width])) for record in records]
    return records, None


def _day(value: str, problems: list, line: int, column: str, today: date, *, not_before: date | None = None,
         before_label: str = "") -> date | None:
    if not value:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        problems.append(Problem(line, column, _("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2018-03-01.")))
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(line, column, _("Datumet %(value)s finns inte.", value=value)))
        return None
    if day > today:
        problems.append(Problem(line, column, _("Datumet kan inte vara senare än i dag.")))
        return None
    if not_before is not None and day < not_before:
        problems.append(Problem(line, column, _("Datumet kan inte vara före %(what)s (%(day)s).", what=before_label,
                                                day=not_before.isoformat())))
        return None
    return day


def _choice(value: str, allowed, problems: list, line: int, column: str) -> str | None:
    if not value:
        return None
    if value not in allowed:
        problems.append(Problem(line, column, _("Okänt värde %(value)s. Tillåtna värden: %(allowed)s.",
                                                value=value, allowed=", ".join(allowed))))
        return None
    return value


def _parse_row(line: int, cells: dict[str, str], problems: list, received_label: str, today: date) -> Row:
    """One row, checked on its own (the organisation and the database are checked later, for every
    row, so that a file's problems are all reported at once); a bad value becomes None."""
    value = {name: (cells.get(name) or "").strip() for name in ALL_COLUMNS}
    reference = value["reference"]
    if not reference:
        problems.append(Problem(line, "reference", _("Diarienummer saknas.")))
    elif len(reference) > MAX_REFERENCE or not reference.isprintable():
        problems.append(Problem(line, "reference", _("Diarienumret får ha högst %(n)d tecken.", n=MAX_REFERENCE)))
    kind = value["kind"]
    if not kind:
        problems.append(Problem(line, "kind", _("Ange ärendetyp: deviation, complaint, lex_sarah eller supervision.")))
    else:
        kind = _choice(kind, IMPORTED_KINDS, problems, line, "kind")
    received_on = None
    if not value["received_date"]:
        problems.append(Problem(line, "received_date", _("Ange datumet då ärendet kom in.")))
    else:
        received_on = _day(value["received_date"], problems, line, "received_date", today)
    department = _clean(value["department"])
    if not department:
        problems.append(Problem(line, "department", _("Ange avdelningen.")))
    elif len(department) > MAX_NAME:
        problems.append(Problem(line, "department", _("Namnet får ha högst %(n)d tecken.", n=MAX_NAME)))
    unit = _clean(value["unit"])
    if len(unit) > MAX_NAME:
        problems.append(Problem(line, "unit", _("Namnet får ha högst %(n)d tecken.", n=MAX_NAME)))
    summary = _clean(value["summary"])
    if len(summary) > MAX_SUMMARY:
        problems.append(Problem(line, "summary", _("Sammanfattningen får ha högst %(n)d tecken.", n=MAX_SUMMARY)))
    categories = []
    for name in (_clean(part) for part in value["categories"].split(";")):
        if not name:
            continue
        if len(name) > MAX_NAME:
            problems.append(Problem(line, "categories", _("Ett kategorinamn får ha högst %(n)d tecken.", n=MAX_NAME)))
        elif _key(name) not in {_key(c) for c in categories}:
            categories.append(name)

    channel = _choice(value["channel"], COMPLAINT_CHANNELS, problems, line, "channel")
    if channel and kind and kind != Kind.COMPLAINT:
        problems.append(Problem(line, "channel", _("Kanal anges bara för klagomål.")))
    triage = _choice(value["triage"], tuple(TRIAGE_VALUES), problems, line, "triage")
    judgment = _choice(value["judgment"], JUDGMENTS, problems, line, "judgment")
    serious_text = _choice(value["serious"], tuple(YES_NO), problems, line, "serious")
    serious = YES_NO[serious_text] if serious_text else None
    handed_text = _choice(value["handled_as_deviation"], tuple(YES_NO), problems, line, "handled_as_deviation")
    handed_over = bool(handed_text and YES_NO[handed_text])
    ivo_on = _day(value["ivo_notified_date"], problems, line, "ivo_notified_date", today, not_before=received_on,
                  before_label=received_label)
    closed_on = _day(value["closed_date"], problems, line, "closed_date", today, not_before=received_on,
                     before_label=received_label)
    gender = _choice(value["client_gender"], CLIENT_GENDERS, problems, line, "client_gender")

    lex_sarah_only = (("judgment", judgment), ("serious", serious_text), ("ivo_notified_date", ivo_on),
                      ("handled_as_deviation", handed_text))
    if kind and kind != Kind.LEX_SARAH:
        for column, given in lex_sarah_only:
            if given is not None:
                problems.append(Problem(line, column, _("Anges bara för lex Sarah-rapporter.")))
    if triage == "not_investigated":
        for column, given in (("judgment", judgment), ("ivo_notified_date", ivo_on)):
            if given is not None:
                problems.append(Problem(line, column, _("Ett ärende som inte utreddes har ingen bedömning eller "
                                                        "anmälan till IVO (triage är not_investigated).")))
    if judgment in ("misconduct", "risk") and serious is None:
        problems.append(Problem(line, "serious", _("Ange yes eller no: är missförhållandet eller risken "
                                                   "allvarlig?")))
    if serious is not None and judgment not in ("misconduct", "risk") and kind == Kind.LEX_SARAH:
        problems.append(Problem(line, "serious", _("Allvarlighet anges bara när judgment är misconduct eller risk.")))
    if handed_over and judgment != "none" and kind == Kind.LEX_SARAH:
        problems.append(Problem(line, "handled_as_deviation", _("Bara en rapport som bedömts som inget "
                                                                "missförhållande (judgment none) överlämnas som "
                                                                "avvikelse.")))
    complaint_type = _choice(value["complaint_type"], COMPLAINT_TYPES, problems, line, "complaint_type")
    answered_on = _day(value["answered_date"], problems, line, "answered_date", today, not_before=received_on,
                       before_label=received_label)
    for column, given in (("complaint_type", complaint_type), ("answered_date", answered_on)):
        if given is not None and kind and kind != Kind.COMPLAINT:
            problems.append(Problem(line, column, _("Anges bara för klagomål.")))
        elif given is not None and kind == Kind.COMPLAINT and not channel:
            problems.append(Problem(line, "channel", _("Ange kanalen (channel) för ett klagomål med %(column)s.",
                                                       column=column)))
    reason = None
    if value["triage_reason"]:
        if kind and kind not in TRIAGE_REASONS:
            problems.append(Problem(line, "triage_reason", _("Anges bara för avvikelser och lex Sarah-rapporter.")))
        elif kind:
            reason = _choice(value["triage_reason"], TRIAGE_REASONS[kind], problems, line, "triage_reason")
            if reason and triage == "investigate":
                problems.append(Problem(line, "triage_reason", _("Skäl att inte utreda anges bara när triage är "
                                                                 "not_investigated.")))
            elif reason:
                triage = "not_investigated"  # a reason not to investigate says the case was not investigated
    # A supervision case's decision is read with its other columns (app/supervision/imports.py).
    ivo_decision = None if kind == Kind.SUPERVISION else _choice(value["ivo_decision"], IVO_DECISIONS, problems,
                                                                   line, "ivo_decision")
    if ivo_decision and kind and kind != Kind.LEX_SARAH:
        problems.append(Problem(line, "ivo_decision", _("Anges bara för lex Sarah-rapporter och tillsynsärenden.")))
    elif ivo_decision and ivo_on is None and not value["ivo_notified_date"]:
        problems.append(Problem(line, "ivo_decision", _("IVO:s beslut förutsätter en anmälan till IVO: ange "
                                                        "ivo_notified_date.")))
    origin_reference = value["origin_reference"]
    if origin_reference and origin_reference == reference:
        problems.append(Problem(line, "origin_reference", _("Ett ärende kan inte vara upprättat utifrån sig "
                                                            "självt.")))
    elif origin_reference and kind and kind not in HANDOVER_FROM:
        problems.append(Problem(line, "origin_reference", _("Bara en lex Sarah-rapport eller en avvikelse kan vara "
                                                            "upprättad utifrån ett annat ärende.")))
    supervision = supervision_imports.parse(kind, value, lambda column, message: problems.append(
        Problem(line, column, message)), triage=triage)
    return Row(line, reference, kind, supervision, received_on, department, unit, summary or "", categories, channel,
               TRIAGE_VALUES[triage] if triage else None, judgment, serious, ivo_on, handed_over, closed_on, gender,
               complaint_type, answered_on, reason, ivo_decision, origin_reference)


class _Records:
    """The file's records one by one, with the line each ends on (CSV) or its row (XLSX)."""

    def __init__(self, data: bytes):
        self.problem: Problem | None = None
        self._xlsx: list[list[str]] | None = None
        self._csv = None
        self.line_num = 0
        if data[:4] == b"PK\x03\x04":  # a ZIP: an Excel workbook
            self._xlsx, self.problem = _xlsx_records(data)
            return
        text, self.problem = _decode(data)
        if text is not None:
            self._csv = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def __iter__(self):
        return self

    def __next__(self) -> list[str]:
        if self._csv is not None:
            record = next(self._csv)
            self.line_num = self._csv.line_num
            return record
        if self.line_num >= len(self._xlsx or []):
            raise StopIteration
        self.line_num += 1
        return self._xlsx[self.line_num - 1]


def read_rows(data: bytes) -> tuple[list[Row], list[Problem]]:
    """Every row of the file checked on its own; the problems of all rows."""
    reader = _Records(data)
    if reader.problem:
        return [], [reader.problem]
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(0, "", _("Filen är tom."))]
    except csv.Error as error:
        return [], [Problem(1, "", _("Raden går inte att läsa som CSV: %(error)s", error=str(error)))]
    names = [name.strip().lower() for name in header]
    problems: list[Problem] = []
    missing = [name for name in COLUMNS if name not in names]
    unknown = [name for name in names if name not in ALL_COLUMNS]
    for name in missing:
        problems.append(Problem(1, name, _("Kolumnen saknas i rubrikraden.")))
    for name in unknown:
        problems.append(Problem(1, name or "?", _("Okänd kolumn. Kolumnerna ska vara: %(columns)s (och, om de "
                                                  "behövs, %(optional)s).", columns=",".join(COLUMNS),
                                                  optional=",".join(OPTIONAL_COLUMNS))))
    duplicated = {name for name in names if names.count(name) > 1}
    for name in sorted(duplicated):
        problems.append(Problem(1, name, _("Kolumnen finns två gånger.")))
    if problems:
        return [], problems
    rows: list[Row] = []
    received_label, today = _("datumet då ärendet kom in"), today_local()
    line_after = reader.line_num
    while True:
        start = line_after + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(start, "", _("Raden går inte att läsa som CSV: %(error)s", error=str(error))))
            break
        line_after = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(names):
            problems.append(Problem(start, "", _("Raden har %(found)d fält, men rubrikraden har %(expected)d.",
                                                 found=len(record), expected=len(names))))
            continue
        rows.append(_parse_row(start, dict(zip(names, record, strict=True)), problems, received_label, today))
    if not rows and not problems:
        problems.append(Problem(0, "", _("Filen har inga ärenden, bara rubrikraden.")))
    return rows, problems


# --- the organisation and the database -------------------------------------------------------------

@dataclass
class _Tree:
    """The units by name, read once: departments (depth 1) and the units below each."""

    root: Unit | None
    roots: int
    departments: dict[str, list[Unit]]
    below: dict[int, dict[str, list[Unit]]]  # department id -> name -> units under it

    @classmethod
    def load(cls) -> "_Tree":
        units = list(db.session.scalars(select(Unit).order_by(Unit.id)))
        roots = [u for u in units if u.parent_id is None]
        departments: dict[str, list[Unit]] = {}
        below: dict[int, dict[str, list[Unit]]] = {}
        for unit in units:
            if unit.depth == 1:
                departments.setdefault(_key(unit.name), []).append(unit)
        for unit in units:
            if unit.depth >= 2 and unit.department_id is not None:
                below.setdefault(unit.department_id, {}).setdefault(_key(unit.name), []).append(unit)
        return cls(roots[0] if roots else None, len(roots), departments, below)


def _check_organisation(rows: list[Row], tree: _Tree, create_units: bool, problems: list, via: str) -> None:
    for row in rows:
        if not row.department:
            continue
        found = tree.departments.get(_key(row.department), [])
        if len(found) > 1:
            problems.append(Problem(row.line, "department",
                                    _("Flera avdelningar heter %(name)s.", name=row.department)))
            continue
        if not found:
            if not create_units:
                # Named as the person sees them: the page has a menu and a checkbox, the command line a flag.
                problems.append(Problem(row.line, "department", _(
                    "Avdelningen %(name)s finns inte. Lägg upp den under Organisation, eller kryssa i ”Skapa "
                    "avdelningar och enheter som saknas”.", name=row.department) if via == "page" else _(
                    "Avdelningen %(name)s finns inte. Lägg upp den under Organisation, eller importera med "
                    "--create-units.", name=row.department)))
            elif tree.roots > 1:
                problems.append(Problem(row.line, "department", _(
                    "Avdelningen %(name)s finns inte, och det går inte att avgöra under vilken förvaltning den ska "
                    "skapas.", name=row.department)))
            continue
        if row.unit and _key(row.unit) != _key(row.department):
            units = tree.below.get(found[0].id, {}).get(_key(row.unit), [])
            if len(units) > 1:
                problems.append(Problem(row.line, "unit", _("Flera enheter under %(department)s heter %(name)s.",
                                                            department=row.department, name=row.unit)))
            elif not units and not create_units:
                problems.append(Problem(row.line, "unit", _(
                    "Enheten %(name)s finns inte under avdelningen %(department)s. Lägg upp den under Organisation, "
                    "eller kryssa i ”Skapa avdelningar och enheter som saknas”.", name=row.unit,
                    department=row.department) if via == "page" else _(
                    "Enheten %(name)s finns inte under avdelningen %(department)s. Lägg upp den under Organisation, "
                    "eller importera med --create-units.", name=row.unit, department=row.department)))


def _existing_references(references: list[str]) -> dict[str, bool]:
    """reference -> imported, for the references of the file that are already in the database."""
    return {reference: imported for reference, (imported, _kind) in _existing_cases(references).items()}


def _existing_cases(references: list[str]) -> dict[str, tuple[bool, str]]:
    """reference -> (imported, kind), for the references that are already in the database."""
    found: dict[str, tuple[bool, str]] = {}
    for start in range(0, len(references), 900):
        chunk = references[start:start + 900]
        for reference, imported, kind in db.session.execute(
                select(Case.reference, Case.imported, Case.kind).where(Case.reference.in_(chunk))):
            found[reference] = (bool(imported), kind)
    return found


def _check_origins(rows: list[Row], problems: list) -> None:
    """origin_reference names a case in the same file or already in Värna, of a kind a hand-over makes this from."""
    in_file = {row.reference: row.kind for row in rows}
    wanted = sorted({row.origin_reference for row in rows if row.origin_reference} - set(in_file))
    in_db = {reference: kind for reference, (_imported, kind) in _existing_cases(wanted).items()}
    for row in rows:
        if not row.origin_reference or row.kind not in HANDOVER_FROM or row.origin_reference == row.reference:
            continue
        kind = in_file.get(row.origin_reference) or in_db.get(row.origin_reference)
        if kind is None:
            problems.append(Problem(row.line, "origin_reference", _(
                "Det finns inget ärende med diarienumret %(reference)s, varken i filen eller i Värna.",
                reference=row.origin_reference)))
        elif kind not in HANDOVER_FROM[row.kind]:
            problems.append(Problem(row.line, "origin_reference", _(
                "En lex Sarah-rapport kan upprättas utifrån en avvikelse eller ett klagomål, och en avvikelse "
                "utifrån en lex Sarah-rapport; %(reference)s är inte ett sådant ärende.",
                reference=row.origin_reference)))


def check(data: bytes, *, create_units: bool = False, via: str = "cli"
          ) -> tuple[list[Row], list[Row], list[Problem]]:
    """(rows to import, rows already imported, problems). Writes nothing. `via` ("page" or "cli") decides
    how the error texts name what to do."""
    rows, problems = read_rows(data)
    first_line: dict[str, int] = {}
    unique: list[Row] = []
    for row in rows:
        if not row.reference:
            continue
        if row.reference in first_line:
            problems.append(Problem(row.line, "reference", _("Samma diarienummer som på rad %(line)d.",
                                                             line=first_line[row.reference])))
        else:
            first_line[row.reference] = row.line
            unique.append(row)
    _check_organisation(unique, _Tree.load(), create_units, problems, via)
    _check_origins(unique, problems)
    existing = _existing_references([row.reference for row in unique])
    new, already = [], []
    for row in unique:
        if row.reference not in existing:
            new.append(row)
        elif existing[row.reference]:
            already.append(row)
        else:
            problems.append(Problem(row.line, "reference", _(
                "Diarienumret %(reference)s finns redan som ett ärende som handläggs i Värna.",
                reference=row.reference)))
    problems.sort(key=lambda p: (p.line, ALL_COLUMNS.index(p.column) if p.column in ALL_COLUMNS else -1))
    return new, already, problems


# --- writing ---------------------------------------------------------------------------------------

def _noon(day: date) -> datetime:
    """Noon that day in Sweden, as naive UTC: the moment an imported date stands for."""
    return local_moment(day, 12)


def system_user() -> User:
    """The account imported decisions are recorded under: never active, no usable password."""
    user = db.session.scalar(select(User).where(User.username == SYSTEM_USERNAME))
    if user is None:
        user = User(username=SYSTEM_USERNAME, full_name=_("Import av tidigare år (systemkonto)"),
                    title=_("Systemkonto"), role="staff", active=False,
                    password_hash="!")  # noqa: S106 - not a hash: no password ever matches it
        db.session.add(user)
        db.session.flush()
    return user


def _new_unit(name: str, parent: Unit | None, actor, result: ImportResult) -> Unit:
    unit = Unit(name=name, parent=parent)
    db.session.add(unit)
    db.session.flush()
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    unit.depth = parent.depth + 1 if parent else 0
    audit.record("unit.created", actor=actor, object_type="unit", object_id=unit.id,
                 detail={"name": name, "parent_id": parent.id if parent else None, "via": "import"})
    result.units_created.append(name if parent is None else f"{parent.name} › {name}")
    return unit


def _place_units(rows: list[Row], actor, result: ImportResult) -> dict[int, int]:
    """The unit id of every row (line -> unit id), creating missing ones (already checked as allowed)."""
    tree = _Tree.load()
    root = tree.root
    placed: dict[int, int] = {}
    for row in rows:
        departments = tree.departments.get(_key(row.department))
        if not departments:
            if root is None:
                root = _new_unit(ADMINISTRATION_NAME, None, actor, result)
                tree.root, tree.roots = root, 1
            departments = tree.departments[_key(row.department)] = [_new_unit(row.department, root, actor, result)]
        department = departments[0]
        if not row.unit or _key(row.unit) == _key(row.department):
            placed[row.line] = department.id
            continue
        units = tree.below.setdefault(department.id, {}).get(_key(row.unit))
        if not units:
            units = tree.below[department.id][_key(row.unit)] = [_new_unit(row.unit, department, actor, result)]
        placed[row.line] = units[0].id
    return placed


def _category_ids(rows: list[Row], actor, result: ImportResult) -> dict[tuple[str, str], int]:
    """(kind, folded name) -> category id, creating the unknown ones at the end of their kind's list."""
    ids: dict[tuple[str, str], int] = {}
    for category in db.session.scalars(select(Category)):
        ids.setdefault((category.kind, _key(category.name)), category.id)
    for row in rows:
        for name in row.categories:
            if (row.kind, _key(name)) in ids:
                continue
            position = (db.session.scalar(select(func.max(Category.position)).where(Category.kind == row.kind))
                        or 0) + 1
            category = Category(kind=row.kind, name=name, position=position)
            db.session.add(category)
            db.session.flush()
            ids[(row.kind, _key(name))] = category.id
            audit.record("category.created", actor=actor, object_type="category", object_id=category.id,
                         detail={"kind": row.kind, "name": name, "via": "import"})
            result.categories_created.append(f"{row.kind}: {name}")
    return ids


def _imported_document(sent_on_label: str) -> tuple[str, bytes]:
    """What stands in for the notification document of an imported notification (the CHECK asks for one)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    text = _("Importerad uppgift: anmäld till IVO enligt det tidigare registret. Anmälan finns inte i Värna.")
    html = (f'<!doctype html><html lang="sv"><meta charset="utf-8"><title>{sent_on_label}</title>'
            f"<p>{text}</p></html>")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(56, 780, text.encode("latin-1", "replace").decode("latin-1"))
    pdf.save()
    return html, out.getvalue()


def _bump_reference_counters(rows: list[Row]) -> None:
    """Live filings number on from the highest imported AV-/LS-/KL-YYYY-NNNN, so they never collide."""
    kinds = {prefix: kind for kind, prefix in REFERENCE_PREFIXES.items()}
    highest: dict[tuple[str, int], int] = {}
    for row in rows:
        match = re.fullmatch(r"([A-Z]{2})-(\d{4})-(\d+)", row.reference)
        if match and match.group(1) in kinds:
            key = (kinds[match.group(1)], int(match.group(2)))
            highest[key] = max(highest.get(key, 0), int(match.group(3)))
    for (kind, year), number in highest.items():
        counter = db.session.get(ReferenceCounter, (kind, year))
        if counter is None:
            db.session.add(ReferenceCounter(kind=kind, year=year, last=number))
        elif counter.last < number:
            db.session.execute(update(ReferenceCounter).where(ReferenceCounter.kind == kind,
                                                              ReferenceCounter.year == year).values(last=number))


def _write(rows: list[Row], actor, source: str, result: ImportResult) -> None:
    unit_ids = _place_units(rows, actor, result)
    category_ids = _category_ids(rows, actor, result)
    decider = system_user()
    now = utcnow()
    kind_names = {Kind.DEVIATION: _("Importerad avvikelse"), Kind.COMPLAINT: _("Importerat klagomål"),
                  Kind.LEX_SARAH: _("Importerad lex Sarah-rapport"), Kind.SUPERVISION: _("Importerat tillsynsärende")}
    html, pdf = _imported_document(_("Anmälan till IVO (importerad)"))
    html_sha, pdf_sha = hashlib.sha256(html.encode()).hexdigest(), hashlib.sha256(pdf).hexdigest()
    journal_text = _("Importerat från tidigare års register (%(source)s).", source=source)
    # The originals in the file of the rows made by a hand-over: a complaint or a deviation that led to a
    # lex Sarah report counts as escalated (a lex Sarah report handed over says so in handled_as_deviation).
    kinds = {row.reference: row.kind for row in rows}
    escalated = {row.origin_reference: "to_lex_sarah" for row in rows
                 if row.origin_reference and row.kind == Kind.LEX_SARAH and row.origin_reference in kinds}
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        cases = [{
            "reference": row.reference, "kind": row.kind, "status": Status.CLOSED, "unit_id": unit_ids[row.line],
            "received_at": _noon(row.received_on), "summary": row.summary or kind_names[row.kind],
            "description": "", "client_gender": row.client_gender, "triage_decision": row.triage,
            "triage_reason": row.triage_reason,
            "handover": "to_deviation" if row.handed_over else escalated.get(row.reference),
            "closed_at": _noon(row.closed_on) if row.closed_on else None, "imported": True, "version": 1,
        } for row in chunk]
        # Plain executemany, then the new ids by their (unique, indexed) references: RETURNING from a
        # many-row insert is slower than both together on SQLite and no faster on PostgreSQL.
        db.session.execute(insert(Case.__table__), cases)
        by_reference = dict(db.session.execute(
            select(Case.reference, Case.id).where(Case.reference.in_([row.reference for row in chunk]))).all())
        ids = [by_reference[row.reference] for row in chunk]
        # Each list's rows have the same keys: executemany takes its columns from the first one.
        links, details, judgments, notified, not_notified, events = [], [], [], [], [], []
        for case_id, row in zip(ids, chunk, strict=True):
            links += [{"case_id": case_id, "category_id": category_ids[(row.kind, _key(name))]}
                      for name in row.categories]
            if row.kind == Kind.COMPLAINT and row.channel:
                details.append({"case_id": case_id, "channel": row.channel,
                                "complaint_type": row.complaint_type or COMPLAINT_TYPE,
                                "answered_at": _noon(row.answered_on) if row.answered_on else None})
            if row.judgment:
                decided = row.closed_on or row.received_on
                judgments.append({
                    "case_id": case_id, "outcome": row.judgment, "serious": row.serious,
                    "rationale": _("Importerad bedömning från tidigare års register. Bedömningens datum är inte "
                                   "känt; här står %(day)s.", day=decided.isoformat()),
                    "decided_by_id": decider.id, "decided_at": _noon(decided), "proposed_answers": {}})
            if row.ivo_notified_on:
                notified.append({
                    "case_id": case_id, "decision": "notified", "decided_by_id": decider.id,
                    "decided_at": _noon(row.ivo_notified_on), "sent_via": "e_service",
                    "finalised_at": _noon(row.ivo_notified_on), "finalised_by_id": decider.id,
                    "sent_on": row.ivo_notified_on, "ivo_reference": _("Uppgift saknas (importerad)"),
                    "document_html": html, "document_pdf": pdf, "html_sha256": html_sha, "pdf_sha256": pdf_sha,
                    "investigation_due_on": add_months(row.ivo_notified_on, INVESTIGATION_MONTHS), "version": 1,
                    # IVO's decision, when the register has it; its date is not known, so the notification's stands.
                    "ivo_outcome": row.ivo_decision,
                    "ivo_decided_on": row.ivo_notified_on if row.ivo_decision else None,
                    "ivo_decision_text": _("Importerat beslut från IVO; beslutets datum är inte känt.")
                    if row.ivo_decision else ""})
            elif row.serious:
                not_notified.append({
                    "case_id": case_id, "decision": "not_notified", "decided_by_id": decider.id,
                    "decided_at": _noon(row.closed_on or row.received_on),
                    "not_notifying_reason": _("Importerad historik: ingen anmälan till IVO finns i det tidigare "
                                              "registret."), "version": 1})
            events.append({"case_id": case_id, "at": now, "actor_id": getattr(actor, "id", None),
                           "actor_name": getattr(actor, "full_name", "") or "", "event": "imported",
                           "text": journal_text, "detail": {"line": row.line}})
        for table, values in ((case_categories, links), (ComplaintDetails.__table__, details),
                              (LexSarahJudgment.__table__, judgments), (LexSarahIvo.__table__, notified),
                              (LexSarahIvo.__table__, not_notified),
                              (JournalEvent.__table__, events)):
            if values:
                db.session.execute(insert(table), values)
        supervision_imports.write([(case_id, row) for case_id, row in zip(ids, chunk, strict=True)
                                   if row.kind == Kind.SUPERVISION], unit_ids, decider)
    _link_origins(rows)
    _bump_reference_counters(rows)


def _link_origins(rows: list[Row]) -> None:
    """origin_case_id of the rows made by a hand-over; an earlier imported original that led to a lex Sarah
    report is marked escalated. A case handled in Värna keeps its own record of its hand-overs."""
    linked = [row for row in rows if row.origin_reference]
    if not linked:
        return
    references = sorted({row.origin_reference for row in linked} | {row.reference for row in linked})
    ids: dict[str, int] = {}
    for start in range(0, len(references), 900):
        ids.update(db.session.execute(select(Case.reference, Case.id)
                                      .where(Case.reference.in_(references[start:start + 900]))).all())
    for row in linked:
        db.session.execute(update(Case).where(Case.id == ids[row.reference])
                           .values(origin_case_id=ids[row.origin_reference]))
        if row.kind == Kind.LEX_SARAH:
            db.session.execute(update(Case).where(Case.id == ids[row.origin_reference], Case.imported.is_(True),
                                                  Case.handover.is_(None)).values(handover="to_lex_sarah"))


def import_file(data: bytes, *, actor=None, source: str = "", create_units: bool = False,
                via: str = "cli") -> ImportResult:
    """Check the file and, when it has no problems, import it in one transaction (the caller needs no commit).

    `actor` is the admin who uploaded it, or None for the command line.
    """
    new, already, problems = check(data, create_units=create_units, via=via)
    result = ImportResult(problems=problems, rows=len(new) + len(already), already_imported=len(already))
    if problems:
        db.session.rollback()
        return result
    try:
        if new:
            _write(new, actor, source, result)
        result.created = len(new)
        audit.record("cases.imported", actor=actor, object_type="import", object_id=source[:64],
                     detail={"source": source, "rows": result.rows, "created": result.created,
                             "already_imported": result.already_imported, "units_created": result.units_created,
                             "categories_created": result.categories_created})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def import_cases(actor, data: bytes, *, source: str, create_units: bool = False) -> ImportResult:
    """An admin uploads a file in the interface."""
    ensure(actor, Action.IMPORT_CASES)
    return import_file(data, actor=actor, source=source, create_units=create_units, via="page")
