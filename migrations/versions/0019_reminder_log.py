"""one reminder log for `flask remind`: reminder_log replaces the three per-feature tables

Revision ID: 0019_reminder_log
Revises: 0018_search
Create Date: 2026-12-05 09:00:00

The rows of case_deadline_reminders, lex_sarah_reminders and action_reminders_sent are
copied into reminder_log (sections 'cases', 'lexsarah', 'actions'), so nobody is reminded
twice on the day of the upgrade. The downgrade recreates the three tables and copies the
rows back (the actions' split into overdue/follow-up counts is not kept: the total goes
into overdue_count, follow_up_count is 0). Nothing here touches `cases` (on SQLite a batch
alter of it would drop the full-text-search triggers).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019_reminder_log'
down_revision = '0018_search'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_log',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_log_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'day', 'section', name=op.f('pk_reminder_log'))
    )
    op.execute("INSERT INTO reminder_log (user_id, day, section, item_count, sent_at) "
               "SELECT user_id, day, 'cases', case_count, sent_at FROM case_deadline_reminders")
    op.execute("INSERT INTO reminder_log (user_id, day, section, item_count, sent_at) "
               "SELECT user_id, sent_on, 'lexsarah', case_count, at FROM lex_sarah_reminders")
    op.execute("INSERT INTO reminder_log (user_id, day, section, item_count, sent_at) "
               "SELECT user_id, day, 'actions', overdue_count + follow_up_count, sent_at FROM action_reminders_sent")
    op.drop_table('case_deadline_reminders')
    op.drop_table('lex_sarah_reminders')
    op.drop_table('action_reminders_sent')


def downgrade():
    op.create_table('action_reminders_sent',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('overdue_count', sa.Integer(), nullable=False),
    sa.Column('follow_up_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_action_reminders_sent_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_action_reminders_sent'))
    )
    op.create_table('lex_sarah_reminders',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('case_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_lex_sarah_reminders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'sent_on', name=op.f('pk_lex_sarah_reminders'))
    )
    op.create_table('case_deadline_reminders',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('case_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_deadline_reminders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_case_deadline_reminders'))
    )
    op.execute("INSERT INTO case_deadline_reminders (user_id, day, sent_at, case_count) "
               "SELECT user_id, day, sent_at, item_count FROM reminder_log WHERE section = 'cases'")
    op.execute("INSERT INTO lex_sarah_reminders (user_id, sent_on, at, case_count) "
               "SELECT user_id, day, sent_at, item_count FROM reminder_log WHERE section = 'lexsarah'")
    op.execute("INSERT INTO action_reminders_sent (user_id, day, sent_at, overdue_count, follow_up_count) "
               "SELECT user_id, day, sent_at, item_count, 0 FROM reminder_log WHERE section = 'actions'")
    op.drop_table('reminder_log')
