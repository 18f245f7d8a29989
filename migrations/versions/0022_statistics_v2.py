"""statistics v2: klagomål or synpunkt on complaints; first year of data; the chapter's adoption and texts

Revision ID: 0022_statistics_v2
Revises: 0019_reminder_log
Create Date: 2026-12-05 10:30:00

complaint_details gets complaint_type (existing complaints become 'complaint', the default);
three small tables hold what an admin or officer writes for the yearly chapter; the covering
index of the statistics, ix_cases_statistics, gets triage_reason (not_investigated_by_reason
reads it). The index is dropped and created with plain DROP/CREATE INDEX, never a batch alter
of `cases` (on SQLite that would drop the full-text-search triggers).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022_statistics_v2'
down_revision = '0021_supervision'
branch_labels = None
depends_on = None


STATISTICS_INDEX = ['kind', 'received_at', 'origin_case_id', 'unit_id', 'client_gender', 'triage_decision',
                    'handover', 'imported', 'id']
STATISTICS_INDEX_V2 = ['kind', 'received_at', 'origin_case_id', 'unit_id', 'client_gender', 'triage_decision',
                       'triage_reason', 'handover', 'imported', 'id']


def upgrade():
    op.drop_index('ix_cases_statistics', table_name='cases')
    op.create_index('ix_cases_statistics', 'cases', STATISTICS_INDEX_V2, unique=False)
    with op.batch_alter_table('complaint_details', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_type', sa.String(length=12), server_default='complaint',
                                      nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_complaint_details_complaint_type'), "complaint_type IN ('complaint', 'suggestion')")

    op.create_table('statistics_data_from',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_statistics_data_from_updated_by_id_users')),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_statistics_data_from'))
    )
    op.create_table('statistics_adoptions',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('adopted_by', sa.String(length=200), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('diary_number', sa.String(length=60), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_statistics_adoptions_updated_by_id_users')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_statistics_adoptions'))
    )
    op.create_table('statistics_texts',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('analysis', sa.Text(), nullable=False),
    sa.Column('improvement', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("section IN ('lex_sarah', 'deviations', 'complaints', 'supervision', 'actions')",
                       name=op.f('ck_statistics_texts_section')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_statistics_texts_updated_by_id_users')),
    sa.PrimaryKeyConstraint('year', 'section', name=op.f('pk_statistics_texts'))
    )


def downgrade():
    op.drop_index('ix_cases_statistics', table_name='cases')
    op.create_index('ix_cases_statistics', 'cases', STATISTICS_INDEX, unique=False)
    op.drop_table('statistics_texts')
    op.drop_table('statistics_adoptions')
    op.drop_table('statistics_data_from')
    with op.batch_alter_table('complaint_details', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_complaint_details_complaint_type'), type_='check')
        batch_op.drop_column('complaint_type')
