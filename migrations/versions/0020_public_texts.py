"""public texts and report drafts: departments in a citizen's words, and the personal-data page set by the admin

Revision ID: 0020_public_texts
Revises: 0019_reminder_log
Create Date: 2026-12-05 10:30:00

units.public_name and units.public_description: what /klagomal shows for a department
(empty: the unit's own name, no sentence). public_texts: texts of the public pages an admin
edits (one row per page key; no row: the built-in default). report_drafts: server-side drafts
of staff reports being written (one per person and kind). Nothing here touches `cases`.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020_public_texts'
down_revision = '0019_reminder_log'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('units', sa.Column('public_name', sa.String(length=200), nullable=False, server_default=''))
    op.add_column('units', sa.Column('public_description', sa.String(length=300), nullable=False,
                                     server_default=''))
    op.create_table('public_texts',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_public_texts_updated_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_public_texts'))
    )
    op.create_table('report_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_report_drafts_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_drafts')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_report_drafts_user_id'))
    )
    with op.batch_alter_table('report_drafts') as batch_op:
        batch_op.create_index(batch_op.f('ix_report_drafts_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_drafts_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('report_drafts')
    op.drop_table('public_texts')
    with op.batch_alter_table('units') as batch_op:
        batch_op.drop_column('public_description')
        batch_op.drop_column('public_name')
