"""deadlines: settings per kind and step, the case's next deadline, daily reminders

Revision ID: 0010_deadlines
Revises: 0009_investigation
Create Date: 2026-11-22 19:45:00.000000

"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
# The file name gives the place in the chain; the id keeps the number it was written with,
# which every database upgraded past it has stored in alembic_version: never change it.
revision = '0010_deadlines'
down_revision = '0009_investigation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_deadline_reminders',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('case_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_deadline_reminders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_case_deadline_reminders'))
    )
    op.create_table('deadline_settings',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("unit IN ('days', 'working_days')", name=op.f('ck_deadline_settings_unit')),
    sa.CheckConstraint('amount BETWEEN 1 AND 365', name=op.f('ck_deadline_settings_amount')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_deadline_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('kind', 'step', name=op.f('pk_deadline_settings'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_deadline_at', sa.DateTime(), nullable=False,
                                      server_default='9999-12-31 00:00:00'))
        batch_op.create_index('ix_cases_deadline_id', ['next_deadline_at', 'id'], unique=False)
        batch_op.create_index('ix_cases_kind_deadline_id', ['kind', 'next_deadline_at', 'id'], unique=False)
        batch_op.create_index('ix_cases_unit_deadline_id', ['unit_id', 'next_deadline_at', 'id'], unique=False)

    _fill_open_cases()


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_unit_deadline_id')
        batch_op.drop_index('ix_cases_kind_deadline_id')
        batch_op.drop_index('ix_cases_deadline_id')
        batch_op.drop_column('next_deadline_at')

    op.drop_table('deadline_settings')
    op.drop_table('case_deadline_reminders')


# The next deadline of the cases open when this migration runs, by the default rules as they
# were written here (app.cases.deadlines.services keeps it current from then on). Closed cases keep
# the server default, 9999-12-31: no deadline running.

_DEFAULTS = {  # kind: [(step, amount, unit, statuses it runs in)]
    "lex_sarah": [("triage", 1, "working_days", ("received",)),
                  ("investigation", 14, "days", ("received", "investigating"))],
    "deviation": [("handling", 30, "days", ("received", "investigating"))],
    "complaint": [("acknowledgement", 5, "working_days", ("received", "investigating")),
                  ("answer", 28, "days", ("received", "investigating"))],
}
_STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _working(day, free):
    return day.weekday() < 5 and day not in free


def _due(start, amount, unit, free):
    if unit == "working_days":
        day = start
        while amount > 0:
            day += timedelta(days=1)
            if _working(day, free):
                amount -= 1
        return day
    day = start + timedelta(days=amount)
    while not _working(day, free):
        day += timedelta(days=1)
    return day


def _fill_open_cases():
    import holidays

    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT c.id, c.kind, c.status, c.received_at, d.channel, d.anonymous, d.acknowledged_at, "
        "(SELECT MAX(j.at) FROM journal_events j WHERE j.case_id = c.id AND j.event = 'reopened') "
        "FROM cases c LEFT JOIN complaint_details d ON d.case_id = c.id WHERE c.status <> 'closed'")).all()
    free = set()
    for year in {r[3].year if isinstance(r[3], datetime) else int(str(r[3])[:4]) for r in rows}:
        for y in (year, year + 1):
            free |= set(holidays.Sweden(years=y, include_sundays=False, categories=("public", "de_facto")))
    updates = []
    for case_id, kind, status, received, channel, anonymous, acknowledged, reopened in rows:
        received = received if isinstance(received, datetime) else datetime.fromisoformat(str(received))
        if reopened is not None:
            reopened = reopened if isinstance(reopened, datetime) else datetime.fromisoformat(str(reopened))
            received = max(received, reopened)
        start = received.replace(tzinfo=ZoneInfo("UTC")).astimezone(_STOCKHOLM).date()
        due = []
        for step, amount, unit, statuses in _DEFAULTS.get(kind, []):
            if status not in statuses:
                continue
            if step == "acknowledgement" and (channel in (None, "web") or anonymous or acknowledged is not None):
                continue
            local = datetime.combine(_due(start, amount, unit, free), time(23, 59, 59), tzinfo=_STOCKHOLM)
            due.append((local - local.utcoffset()).replace(tzinfo=None))
        if due:
            updates.append({"case_id": case_id, "value": min(due)})
    if updates:
        statement = sa.text("UPDATE cases SET next_deadline_at = :value WHERE id = :case_id").bindparams(
            sa.bindparam("value", type_=sa.DateTime()), sa.bindparam("case_id", type_=sa.Integer()))
        connection.execute(statement, updates)
