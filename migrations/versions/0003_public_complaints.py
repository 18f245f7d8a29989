"""public complaint form: per-IP rate-limit hits

Revision ID: 0003_public_complaints
Revises: 0002_cases
Create Date: 2026-11-22 18:45:33.181370

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003_public_complaints'
down_revision = '0002_cases'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('public_rate_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ip_hash', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_rate_hits'))
    )
    with op.batch_alter_table('public_rate_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_rate_hits_at'), ['at'], unique=False)
        batch_op.create_index('ix_public_rate_hits_key', ['ip_hash', 'action', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('public_rate_hits', schema=None) as batch_op:
        batch_op.drop_index('ix_public_rate_hits_key')
        batch_op.drop_index(batch_op.f('ix_public_rate_hits_at'))

    op.drop_table('public_rate_hits')
