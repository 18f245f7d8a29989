"""Command-line tools: `flask --app wsgi demo load`, `demo cases`, `flask --app wsgi users create`."""

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import ROLES, User
from app.demo import DEMO_PASSWORD, DEMO_USERS, DemoRefused, load_demo_data
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo data for trying Värna out.")
users_cli = AppGroup("users", help="User accounts.")


@demo_cli.command("load")
def demo_load():
    """Load the demo organisation, categories and users (idempotent)."""
    try:
        created = load_demo_data(current_app.config["VARNA_ENV"])
    except DemoRefused as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Demo data: {len(created)} new rows." if created else "Demo data already loaded.")
    click.echo(f"Demo logins (password '{DEMO_PASSWORD}'):")
    for username, name, _title, role, units in DEMO_USERS:
        click.echo(f"  {username:<6} {role:<13} {name}" + (f", {', '.join(units)}" if units else ""))


@demo_cli.command("cases")
@click.option("--scale", default=1.0, show_default=True, type=click.FloatRange(0, 10),
              help="Multiplies the background cases of the last two years (the showcase and the imported "
                   "years stay whole).")
def demo_cases(scale):
    """Load five years of demo cases through the services (only into a database without cases)."""
    from app.demo_cases import load_demo_cases
    try:
        result = load_demo_cases(current_app.config["VARNA_ENV"], scale=scale)
    except DemoRefused as error:
        raise click.ClickException(str(error)) from error
    for line in result.details:
        click.echo(f"Filled in: {line}.")
    if result.skipped_because:
        click.echo(f"Demo cases: none added ({result.skipped_because}).")
        return
    click.echo(f"Demo cases: {result.imported} imported from earlier years, {result.cases - result.imported} "
               f"made through the services in {result.run.steps} steps.")
    for line in result.run.stopped:
        click.echo(f"Stopped early (a service refused): {line}", err=True)


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--email", default="")
@click.password_option()
def users_create(username, full_name, role, email, password):
    """Create an account, e.g. the first admin of a new installation."""
    try:
        user = accounts.create_user(None, username=username, full_name=full_name, role=role,
                                    password=password, email=email)
    except accounts.AccountError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.username} ({user.role}).")


@users_cli.command("set-password")
@click.argument("username")
@click.password_option()
def users_set_password(username, password):
    """Set a new password; the person's sessions end."""
    user = db.session.scalar(select(User).where(User.username == accounts.normalise_username(username)))
    if user is None:
        raise click.ClickException("No such user.")
    try:
        accounts.set_password_by_admin(None, user, password)
    except accounts.AccountError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Password set for {user.username}.")


mail_cli = AppGroup("mail", help="Outgoing e-mail.")


@mail_cli.command("retry")
def mail_retry():
    """Send the queued messages that could not be delivered before (now, without waiting for the backoff)."""
    from app.mailer import deliver_queued
    sent, failed = deliver_queued(wait_for_backoff=False)
    click.echo(f"Sent {sent}, failed {failed}.")
    if failed:
        raise SystemExit(1)


attachments_cli = AppGroup("attachments", help="The stored files of attachments.")


@attachments_cli.command("migrate")
@click.option("--to", "to", type=click.Choice(["database", "folder"]), required=True)
def attachments_migrate(to):
    """Move every attachment's file into the folder or the database (resumable; checks SHA-256).

    Set ATTACHMENT_STORAGE to the new backend on every server first: files not yet moved are
    still served from the old one meanwhile.
    """
    from app.intake.storage import migrate_files
    result = migrate_files(to)
    click.echo(f"Moved {result.moved}, already there {result.already}, missing {len(result.missing)}, "
               f"content not matching {len(result.mismatched)}.")
    for stored_name in result.missing:
        click.echo(f"Missing in both: {stored_name}", err=True)
    for stored_name in result.mismatched:
        click.echo(f"SHA-256 does not match the attachment row, not moved: {stored_name}", err=True)
    if result.missing or result.mismatched:
        raise SystemExit(1)


@attachments_cli.command("clean")
def attachments_clean():
    """Remove stored files that no attachment refers to (left by an interrupted upload), if older than an hour."""
    from app.intake.storage import clean_orphans
    removed = clean_orphans()
    for backend, stored_name in removed:
        click.echo(f"Removed {backend}: {stored_name}")
    click.echo(f"Removed {len(removed)} orphaned files.")


@mail_cli.command("worker")
@click.option("--once", is_flag=True, help="One pass over the queue, then exit (tests, cron).")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between passes.")
@click.option("--batch-size", default=20, show_default=True, help="Messages claimed at a time.")
def mail_worker(once, interval, batch_size):
    """Deliver queued e-mail until stopped; several servers may run one each (nothing is sent twice)."""
    from app.mailer import run_worker
    sent, failed = run_worker(once=once, interval=interval, batch_size=batch_size, echo=click.echo)
    if once:
        click.echo(f"Sent {sent}, failed {failed}.")
