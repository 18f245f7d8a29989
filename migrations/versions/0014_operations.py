"""operations: attachments in the database, mail claimed by workers, when scheduled jobs last ran

Revision ID: 0014_operations
Revises: 0013_two_factor
Create Date: 2026-12-05 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_operations'
down_revision = '0013_two_factor'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attachment_blobs',
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('stored_name', 'seq', name=op.f('pk_attachment_blobs'))
    )
    op.create_table('job_runs',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('last_run_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))


def downgrade():
    # Attachments stored in the database go with attachment_blobs: run
    # `flask attachments migrate --to folder` before downgrading.
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('claimed_until')
    op.drop_table('job_runs')
    op.drop_table('attachment_blobs')
