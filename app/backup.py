"""`flask backup PATH` and `flask restore PATH`.

SQLite: SQLite's online backup API copies the database page by page under a read transaction,
so the copy is consistent even while the application keeps serving (and writing). Restoring
copies a backup into the configured database file, which must be empty unless --force.

PostgreSQL: the documented tools, pg_dump -Fc and pg_restore, run when they are installed; the
command is printed either way (without the password, which is passed in PGPASSWORD).

Attachments stored in the database (ATTACHMENT_STORAGE=database) are in the backup; attachments
in a folder are not, and the command says so.
"""

import os
import shlex
import shutil
import sqlite3
import subprocess
import tempfile

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from app.extensions import db


def _url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _libpq(url) -> tuple[str, dict]:
    """The database URI for pg_dump/pg_restore without the password, and the environment carrying it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    # URL.set(password=None) means "unchanged"; the URL is a named tuple, so replace the field.
    plain = url.set(drivername="postgresql")._replace(password=None)
    return plain.render_as_string(hide_password=False), env


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise click.ClickException("The SQLite database is in memory; there is nothing to back up.")
    return url.database


def _has_tables(path: str) -> bool:
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return False
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
    finally:
        connection.close()


def backup_sqlite(source: str, target: str) -> None:
    """Copy the live database `source` to the new file `target` (written beside it, then renamed,
    so a half-written backup never carries the final name)."""
    folder = os.path.dirname(os.path.abspath(target))
    fd, partial = tempfile.mkstemp(prefix=".varna-backup-", dir=folder)
    os.close(fd)
    try:
        src, dst = sqlite3.connect(source), sqlite3.connect(partial)
        try:
            with dst:
                src.backup(dst)
        finally:
            src.close()
            dst.close()
        os.replace(partial, target)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


def restore_sqlite(backup: str, target: str) -> None:
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        try:
            tables = src.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise click.ClickException(f"{backup} is not an SQLite database: {error}") from error
        if not tables:
            raise click.ClickException(f"{backup} holds no tables; it is not a Värna backup.")
        dst = sqlite3.connect(target)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _attachments_note() -> None:
    if current_app.config["ATTACHMENT_STORAGE"] != "database":
        click.echo(f"Note: attachments are stored in the folder {current_app.config['ATTACHMENT_DIR']}, "
                   "not in the database; back that folder up too (or use ATTACHMENT_STORAGE=database).")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_appcontext
def backup_command(path, force):
    """Back the database up to PATH (consistent while Värna keeps serving)."""
    if os.path.exists(path) and not force:
        raise click.ClickException(f"{path} exists; choose a new name or use --force.")
    url = _url()
    if url.get_backend_name() == "sqlite":
        backup_sqlite(_sqlite_path(url), path)
        click.echo(f"Backed up {_sqlite_path(url)} to {path}.")
    elif url.get_backend_name() == "postgresql":
        uri, env = _libpq(url)
        command = ["pg_dump", "--format=custom", "--no-owner", f"--file={path}", f"--dbname={uri}"]
        click.echo("$ " + shlex.join(command))
        if shutil.which("pg_dump") is None:
            raise click.ClickException("pg_dump is not installed here; run the command above where it is "
                                       "(Debian: apt-get install postgresql-client), with PGPASSWORD set.")
        subprocess.run(command, env=env, check=True)  # noqa: S603 - our own arguments, no shell
        click.echo(f"Backed up to {path}.")
    else:
        raise click.ClickException(f"No backup for {url.get_backend_name()} databases.")
    _attachments_note()


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--force", is_flag=True, help="Restore even though the target database is not empty.")
@with_appcontext
def restore_command(path, force):
    """Restore the backup PATH into the configured database, which must be empty (stop Värna first)."""
    url = _url()
    db.session.remove()
    db.engine.dispose()  # no connection of ours may hold the file or the tables
    if url.get_backend_name() == "sqlite":
        target = _sqlite_path(url)
        if _has_tables(target) and not force:
            raise click.ClickException(f"{target} is not empty; restore into an empty database, "
                                       "or use --force to replace what it holds.")
        restore_sqlite(path, target)
        click.echo(f"Restored {path} into {target}.")
    elif url.get_backend_name() == "postgresql":
        uri, env = _libpq(url)
        from sqlalchemy import inspect
        if inspect(db.engine).get_table_names() and not force:
            raise click.ClickException("The database is not empty; restore into an empty database "
                                       "(createdb), or use --force to replace what it holds.")
        command = ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={uri}", path]
        if force:
            command[1:1] = ["--clean", "--if-exists"]
        click.echo("$ " + shlex.join(command))
        if shutil.which("pg_restore") is None:
            raise click.ClickException("pg_restore is not installed here; run the command above where it is.")
        subprocess.run(command, env=env, check=True)  # noqa: S603 - our own arguments, no shell
        db.engine.dispose()
        click.echo(f"Restored {path}.")
    else:
        raise click.ClickException(f"No restore for {url.get_backend_name()} databases.")
