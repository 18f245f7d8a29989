"""API tokens: an optional last day of validity

Revision ID: 0017_api_token_expiry
Revises: 0016_audit_chain
Create Date: 2026-11-24 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_api_token_expiry'
down_revision = '0016_audit_chain'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: the tokens made before this keep working until revoked, as they were made to.
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_on')
