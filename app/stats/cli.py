"""`flask --app wsgi stats export --year 2018 --format json|csv|html|pdf|xlsx [--output FILE]`.

The JSON is exactly what GET /api/v1/statistics/<year> returns (the contract of issue 7).
Run by whoever runs the server, so there is no permission check; the export is logged.
"""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.org.models import Unit
from app.stats import exports, services
from app.stats.services import StatisticsError

stats_cli = AppGroup("stats", help="Yearly statistics and the quality report.")


@stats_cli.command("export")
@click.option("--year", type=int, default=None, help="The year (default: the last full year).")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), default="json", show_default=True)
@click.option("--unit", "unit_name", default=None,
              help="Only this unit and everything under it (its exact name, or its id).")
@click.option("--department", default=None, help="Only this department (its name); a synonym of --unit.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
def export_command(year, fmt, unit_name, department, output):
    """Export the statistics of a year."""
    department_id = None
    wanted = unit_name or department
    if wanted:
        department_id = db.session.scalar(select(Unit.id).where(Unit.name == wanted).order_by(Unit.depth).limit(1))
        if department_id is None and wanted.isdigit():
            department_id = db.session.scalar(select(Unit.id).where(Unit.id == int(wanted)))
        if department_id is None:
            raise click.ClickException(f"No unit named {wanted!r}.")
    try:
        report = services.statistics_report(year if year is not None else services.default_year(), department_id)
    except StatisticsError as error:
        raise click.ClickException(error.message) from error
    content = exports.export(report, fmt)
    audit.record("statistics.exported", object_type="statistics", object_id=str(report.year),
                 detail={"year": report.year, "department_id": department_id, "format": fmt, "via": "cli"})
    db.session.commit()
    data = content.encode("utf-8") if isinstance(content, str) else content
    if output:
        with open(output, "wb") as handle:
            handle.write(data)
        click.echo(f"Wrote {output} ({len(data)} bytes).", err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
