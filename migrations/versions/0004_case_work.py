"""case work: triage decision, closing summary, disqualifications (jäv), feedback, queue indexes

Revision ID: 0004_case_work
Revises: 0003_public_complaints
Create Date: 2026-11-22 18:46:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_case_work'
down_revision = '0003_public_complaints'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_disqualifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('declared_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_disqualifications_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_disqualifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_disqualifications')),
    sa.UniqueConstraint('case_id', 'user_id', name='uq_case_disqualifications_case_user')
    )
    with op.batch_alter_table('case_disqualifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_disqualifications_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_disqualifications_user_id'), ['user_id'], unique=False)

    op.create_table('case_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_case_feedback_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_feedback_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_feedback'))
    )
    with op.batch_alter_table('case_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_feedback_case_id'), ['case_id'], unique=False)

    # Existing cases get empty texts; the server default exists only to fill them in.
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('triage_decision', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('triage_reason', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('triage_text', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('triage_linked_case_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('triaged_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('triaged_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('closing_summary', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
        # (kind, received_at) is a prefix of the new (kind, received_at, id): replaced, not kept twice.
        batch_op.drop_index('ix_cases_kind_received')
        batch_op.create_index('ix_cases_kind_received_id', ['kind', 'received_at', 'id'], unique=False)
        batch_op.create_index('ix_cases_unit_received_id', ['unit_id', 'received_at', 'id'], unique=False)
        # (status) becomes the first column of (status, assigned_to_id).
        batch_op.drop_index('ix_cases_status')
        batch_op.create_index('ix_cases_status_assigned', ['status', 'assigned_to_id'], unique=False)
        batch_op.create_index('ix_cases_kind_status', ['kind', 'status'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cases_triaged_by_id_users'), 'users', ['triaged_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_cases_triage_linked_case_id_cases'), 'cases', ['triage_linked_case_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_cases_closed_by_id_users'), 'users', ['closed_by_id'], ['id'])
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('triage_text', server_default=None)
        batch_op.alter_column('closing_summary', server_default=None)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_closed_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_cases_triage_linked_case_id_cases'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_cases_triaged_by_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_cases_kind_status')
        batch_op.drop_index('ix_cases_status_assigned')
        batch_op.create_index('ix_cases_status', ['status'], unique=False)
        batch_op.drop_index('ix_cases_unit_received_id')
        batch_op.drop_index('ix_cases_kind_received_id')
        batch_op.create_index('ix_cases_kind_received', ['kind', 'received_at'], unique=False)
        batch_op.drop_column('updated_at')
        batch_op.drop_column('closing_summary')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('triaged_at')
        batch_op.drop_column('triaged_by_id')
        batch_op.drop_column('triage_linked_case_id')
        batch_op.drop_column('triage_text')
        batch_op.drop_column('triage_reason')
        batch_op.drop_column('triage_decision')

    with op.batch_alter_table('case_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_feedback_case_id'))
    op.drop_table('case_feedback')

    with op.batch_alter_table('case_disqualifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_disqualifications_user_id'))
        batch_op.drop_index(batch_op.f('ix_case_disqualifications_case_id'))
    op.drop_table('case_disqualifications')
