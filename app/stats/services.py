"""Reading the statistics: who may, which year and department, and the audit entry.

Routes, the API and the downloads all come through `view_statistics`, which asks the
permission function, counts (app.stats.report), writes one audit entry and commits.
The command line (app.stats.cli) is run by whoever runs the server and calls
`statistics_report` directly.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.permissions import Action, ensure
from app.clock import today_local
from app.commands import Refused
from app.extensions import db
from app.lexsarah.models import ProviderSettings
from app.org.models import Unit
from app.org.services import tree
from app.stats import queries, report
from app.stats.models import ChapterAdoption, ChapterText

FIRST_YEAR = 1990  # earlier years are not social services history anyone imports


class StatisticsError(Refused):
    """A year or department that cannot be shown; `field` is the form field to show it at."""


def default_year() -> int:
    """The last full year: the quality report is written after the year has ended."""
    return today_local().year - 1


def year_choices() -> list[int]:
    """The years worth offering, newest first: from the first case (or five years back) to this year."""
    this_year = today_local().year
    span = queries.years_with_cases()
    first = min(span[0], this_year - report.TREND_YEARS) if span else this_year - report.TREND_YEARS
    return list(range(this_year, max(first, FIRST_YEAR) - 1, -1))


def departments() -> list[Unit]:
    """The departments (second level of the tree), by name, inactive ones too: history keeps them."""
    return list(db.session.scalars(select(Unit).where(Unit.depth == 1).order_by(Unit.name)))


def check_year(year: int | None) -> int:
    this_year = today_local().year
    if year is None:
        raise StatisticsError(_("Välj ett år."), "year")
    if not FIRST_YEAR <= year <= this_year:
        raise StatisticsError(_("Välj ett år mellan %(first)d och %(last)d.", first=FIRST_YEAR, last=this_year),
                              "year")
    return year


def units() -> list[Unit]:
    """Every unit of the tree, in tree order, inactive ones too: Nacka asks every unit for its own compilation."""
    return tree()


def department(unit_id: int | None) -> Unit | None:
    """The unit counted (any unit of the tree: it and everything under it), or None for the whole administration."""
    if unit_id is None:
        return None
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise StatisticsError(_("Välj en enhet i listan."), "department")
    return unit


def chapter_details(year: int) -> tuple[str, report.Adoption, dict[str, tuple[str, str]]]:
    """The nämnd's name, the year's adoption details and the texts per section, as an admin or officer wrote them."""
    settings = db.session.get(ProviderSettings, 1)
    adoption = db.session.get(ChapterAdoption, year)
    texts = {row.section: (row.analysis, row.improvement)
             for row in db.session.scalars(select(ChapterText).where(ChapterText.year == year))}
    return ((settings.board_name if settings else ""),
            report.Adoption(adoption.adopted_by, adoption.decided_on.isoformat() if adoption.decided_on else "",
                            adoption.diary_number) if adoption else report.Adoption(),
            texts)


def statistics_report(year: int, department_id: int | None = None) -> report.Report:
    """The report for a checked year and unit, without permission or audit (the CLI)."""
    year = check_year(year)
    unit = department(department_id)
    data = report.statistics(year, unit.path if unit else None)
    board_name, adoption, texts = chapter_details(year)
    # A unit's compilation carries the unit's own figures only; the texts are the whole administration's.
    return report.build_report(data, unit.name if unit else None, board_name=board_name, adoption=adoption,
                               texts=None if unit else texts, extra=report.details(year, unit.path if unit else None))


def view_statistics(actor, year: int | None, department_id: int | None = None, *, shown_as: str = "page"
                    ) -> report.Report:
    """Someone looks at (or downloads) the statistics of a year: check, count, log."""
    ensure(actor, Action.VIEW_STATISTICS)
    result = statistics_report(year, department_id)
    audit.record("statistics.viewed", actor=actor, object_type="statistics", object_id=str(result.year),
                 detail={"year": result.year, "department_id": department_id, "format": shown_as})
    db.session.commit()
    return result
