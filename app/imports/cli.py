"""`flask --app wsgi cases import FILE.csv [--create-units]`: the earlier years' cases, all or nothing."""

import os

import click
from flask.cli import AppGroup

from app.imports import services

cases_cli = AppGroup("cases", help="Cases: the import of earlier years.")


@cases_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--create-units", is_flag=True,
              help="Create missing departments and units (and the administration, in an empty database).")
def import_command(path, create_units):
    """Import cases of earlier years from a UTF-8 CSV file (checked whole; any error imports nothing)."""
    with open(path, "rb") as handle:
        data = handle.read()
    result = services.import_file(data, source=os.path.basename(path), create_units=create_units)
    if not result.ok:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(result.problems)} error(s) in {path}; nothing was imported.")
    for name in result.units_created:
        click.echo(f"Created unit: {name}")
    for name in result.categories_created:
        click.echo(f"Created category: {name}")
    click.echo(f"Imported {result.created} case(s); {result.already_imported} already imported and left as "
               f"they were.")
