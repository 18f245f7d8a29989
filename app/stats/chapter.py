"""What people write for the yearly chapter: the analysis and improvement-work texts per section
(an officer or an admin), the nämnd's adoption details, and the first year of data per kind (an admin).

Each save records who and when on the row, writes one audit entry and commits. Bad input raises
StatisticsError(message, field): a clear Swedish message at the field, nothing stored.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.permissions import Action, ensure
from app.clock import today_local, utcnow
from app.extensions import db
from app.stats import queries
from app.stats.contract import KIND_KEYS
from app.stats.models import TEXT_SECTIONS, ChapterAdoption, ChapterText, DataFromYear
from app.stats.services import FIRST_YEAR, StatisticsError, check_year

TEXT_MAX = 20_000
NAME_MAX, DIARY_MAX = 200, 60


def texts_for(year: int) -> dict[str, ChapterText]:
    return {row.section: row for row in db.session.scalars(select(ChapterText).where(ChapterText.year == year))}


def save_texts(actor, year: int, section: str, *, analysis: str, improvement: str) -> ChapterText:
    """The analysis and the improvement work of one section for one year (empty texts are left out of the report)."""
    ensure(actor, Action.WRITE_STATISTICS_TEXTS)
    year = check_year(year)
    if section not in TEXT_SECTIONS:
        raise StatisticsError(_("Välj ett avsnitt i listan."), "section")
    analysis, improvement = (analysis or "").strip(), (improvement or "").strip()
    for name, text in (("analysis", analysis), ("improvement", improvement)):
        if len(text) > TEXT_MAX:
            raise StatisticsError(_("Skriv högst %(max)d tecken.", max=TEXT_MAX), name)
    row = db.session.get(ChapterText, (year, section)) or ChapterText(year=year, section=section)
    changed = (row.analysis or "") != analysis or (row.improvement or "") != improvement
    row.analysis, row.improvement = analysis, improvement
    row.updated_by_id, row.updated_at = actor.id, utcnow()
    db.session.add(row)
    if changed:
        # Lengths only: the texts are the nämnd's words, kept on the row, not copied into the log.
        audit.record("statistics.text_saved", actor=actor, object_type="statistics", object_id=str(year),
                     detail={"year": year, "section": section, "analysis_length": len(analysis),
                             "improvement_length": len(improvement)})
    db.session.commit()
    return row


def adoption_for(year: int) -> ChapterAdoption | None:
    return db.session.get(ChapterAdoption, year)


def save_adoption(actor, year: int, *, adopted_by: str, decided_on: date | None, diary_number: str
                  ) -> ChapterAdoption:
    """Fastställd av, beslutsdatum and diarienummer of the year's chapter."""
    ensure(actor, Action.MANAGE_SETTINGS)
    year = check_year(year)
    adopted_by, diary_number = " ".join((adopted_by or "").split()), " ".join((diary_number or "").split())
    if len(adopted_by) > NAME_MAX:
        raise StatisticsError(_("Skriv högst %(max)d tecken.", max=NAME_MAX), "adopted_by")
    if len(diary_number) > DIARY_MAX:
        raise StatisticsError(_("Skriv högst %(max)d tecken.", max=DIARY_MAX), "diary_number")
    if decided_on is not None and decided_on.year < year:
        raise StatisticsError(_("Beslutet om %(year)d kan inte vara fattat före %(year)d.", year=year), "decided_on")
    if decided_on is not None and decided_on > today_local():
        raise StatisticsError(_("Beslutsdatumet kan inte vara senare än i dag."), "decided_on")
    row = db.session.get(ChapterAdoption, year) or ChapterAdoption(year=year)
    row.adopted_by, row.decided_on, row.diary_number = adopted_by, decided_on, diary_number
    row.updated_by_id, row.updated_at = actor.id, utcnow()
    db.session.add(row)
    audit.record("statistics.adoption_saved", actor=actor, object_type="statistics", object_id=str(year),
                 detail={"year": year, "adopted_by": adopted_by, "decided_on": decided_on.isoformat()
                         if decided_on else None, "diary_number": diary_number})
    db.session.commit()
    return row


def data_from_years() -> dict[str, tuple[int | None, int | None]]:
    """Per kind: (the year an admin set, the year of the earliest case)."""
    earliest = queries.first_years()
    set_years = {row.kind: row.year for row in db.session.scalars(select(DataFromYear))}
    return {kind: (set_years.get(kind), earliest.get(kind)) for kind in KIND_KEYS}


def check_data_from(kind: str, year: int | None) -> None:
    """StatisticsError at the kind's field for a year no register starts in."""
    if kind not in KIND_KEYS:
        raise StatisticsError(_("Välj en ärendetyp i listan."), "kind")
    this_year = today_local().year
    if year is not None and not FIRST_YEAR <= year <= this_year:
        raise StatisticsError(_("Välj ett år mellan %(first)d och %(last)d.", first=FIRST_YEAR, last=this_year),
                              kind)


def set_data_from(actor, kind: str, year: int | None) -> None:
    """"Uppgifter finns från och med": an earlier year than the earliest case, or None to rely on the cases.
    A year later than the earliest case changes nothing: the earliest case counts (report.first_years_of_data)."""
    ensure(actor, Action.MANAGE_SETTINGS)
    check_data_from(kind, year)
    row = db.session.get(DataFromYear, kind)
    if year is None:
        if row is not None:
            db.session.delete(row)
    else:
        row = row or DataFromYear(kind=kind)
        row.year, row.updated_by_id, row.updated_at = year, actor.id, utcnow()
        db.session.add(row)
    audit.record("statistics.data_from_set", actor=actor, object_type="statistics", object_id=kind,
                 detail={"kind": kind, "year": year})
    db.session.commit()
