"""audit chain: a MAC on every audit row and the one-row chain head writers lock

Revision ID: 0016_audit_chain
Revises: 0015_login_throttle
Create Date: 2026-11-23 10:00:00

Rows already in the log are not chained: computing their MACs here would need AUDIT_KEY
inside the migration, and a MAC computed today over a row of last year proves only that the
row was unchanged today. The head row records where the chain starts (`start_id`, the first
new row); `flask --app wsgi audit verify` says that the rows before it are not covered.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_audit_chain'
down_revision = '0015_login_throttle'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mac', sa.String(length=64), server_default='', nullable=False))

    head = op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('last_mac', sa.String(length=64), nullable=False),
    sa.Column('start_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    last = op.get_bind().scalar(sa.text('SELECT MAX(id) FROM audit_events')) or 0
    op.bulk_insert(head, [{'id': 1, 'last_id': last, 'last_mac': '', 'start_id': last + 1}])


def downgrade():
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('mac')
