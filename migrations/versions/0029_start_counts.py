"""start counts: the start page's counts answered from indexes

Revision ID: 0029_start_counts
Revises: 0028_lex_sarah_gaps
Create Date: 2026-12-05 19:30:00

The start page counts the open cases without a handler in the person's queue (scope: units and
the bypass flag). ix_cases_status_assigned (status, assigned_to_id) found those cases but had to
read every row for the unit and the bypass flag: 22,000 rows at a million cases, 9 ms on SQLite
and 16 ms on PostgreSQL for an admin. The same index with the scope's columns after them
(bypass_manager, unit_id, kind) answers the count from the index alone; it replaces the old one,
whose every use it serves (its first two columns are the same), so a write maintains no more
indexes than before.

The actions waiting for follow-up (done, no follow-up result, completed before the cutoff: the
start page's tile, the list and the reminders) were found on ix_actions_status_completed (status,
completed_on): every done action of every year was read for its follow-up result, 220,000 rows
and 150 ms of a quarter of a million actions on SQLite. ix_actions_follow_up (status,
follow_up_result, completed_on, responsible_id, case_id) replaces it: the waiting ones are one
range, still in completion order (the reminders' order), and the counts read the person
responsible and the case from the index. ix_actions_status_due (status, due_on) gets the same two
columns (ix_actions_status_due_cover) for the overdue and open counts.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029_start_counts'
down_revision = '0028_lex_sarah_gaps'
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE/DROP INDEX: no batch_alter_table on `cases`, which would drop the FTS5 triggers.
    op.create_index('ix_cases_status_assigned_cover', 'cases',
                    ['status', 'assigned_to_id', 'bypass_manager', 'unit_id', 'kind'], unique=False)
    op.drop_index('ix_cases_status_assigned', table_name='cases')
    op.create_index('ix_actions_follow_up', 'actions',
                    ['status', 'follow_up_result', 'completed_on', 'responsible_id', 'case_id'], unique=False)
    op.drop_index('ix_actions_status_completed', table_name='actions')
    op.create_index('ix_actions_status_due_cover', 'actions', ['status', 'due_on', 'responsible_id', 'case_id'],
                    unique=False)
    op.drop_index('ix_actions_status_due', table_name='actions')


def downgrade():
    op.create_index('ix_actions_status_due', 'actions', ['status', 'due_on'], unique=False)
    op.drop_index('ix_actions_status_due_cover', table_name='actions')
    op.create_index('ix_actions_status_completed', 'actions', ['status', 'completed_on'], unique=False)
    op.drop_index('ix_actions_follow_up', table_name='actions')
    op.create_index('ix_cases_status_assigned', 'cases', ['status', 'assigned_to_id'], unique=False)
    op.drop_index('ix_cases_status_assigned_cover', table_name='cases')
