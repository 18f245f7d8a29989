"""notification fields: the rest of IVO's form "Anmälan – lex Sarah"

Revision ID: 0027_notification_fields
Revises: 0026_registrar_and_concerned
Create Date: 2026-12-05 13:00:00

- lex_sarah_ivo: the officer's motivation of why it is serious; the kind of activity, its
  regi (the nämnd's own or a private provider, with name and organisation number),
  municipality and place; police report and report to another authority (yes/no, which,
  when); whether the individual or their representative was informed (yes/no, when); why the
  individual's identity is left out; the nämnd's own diarienummer; the place at the
  signature. Every column may be empty in a draft (finalising requires them), so a
  notification drafted or sent before this migration keeps its row as it was.
- provider_settings: the nämnd's municipality (the default of the two above).
Plain ADD COLUMN (nullable, or with a server default ''), so neither table is recreated.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027_notification_fields'
down_revision = '0026_registrar_and_concerned'
branch_labels = None
depends_on = None

def _ivo_columns():
    """New Column objects on each call (a Column belongs to one table)."""
    return [
        sa.Column('seriousness_motivation', sa.Text(), nullable=False, server_default=''),
        sa.Column('activity_kind', sa.String(length=30), nullable=True),
        sa.Column('activity_regi', sa.String(length=10), nullable=True),
        sa.Column('private_provider_name', sa.String(length=200), nullable=False, server_default=''),
        sa.Column('private_provider_org_number', sa.String(length=11), nullable=False, server_default=''),
        sa.Column('activity_municipality', sa.String(length=100), nullable=False, server_default=''),
        sa.Column('activity_place', sa.String(length=300), nullable=False, server_default=''),
        sa.Column('police_reported', sa.Boolean(), nullable=True),
        sa.Column('police_reported_on', sa.Date(), nullable=True),
        sa.Column('other_authority_reported', sa.Boolean(), nullable=True),
        sa.Column('other_authority_name', sa.String(length=200), nullable=False, server_default=''),
        sa.Column('other_authority_reported_on', sa.Date(), nullable=True),
        sa.Column('client_informed', sa.Boolean(), nullable=True),
        sa.Column('client_informed_on', sa.Date(), nullable=True),
        sa.Column('client_identity_omitted_reason', sa.Text(), nullable=False, server_default=''),
        sa.Column('board_reference', sa.String(length=60), nullable=False, server_default=''),
        sa.Column('signature_place', sa.String(length=100), nullable=False, server_default=''),
    ]


def upgrade():
    for column in _ivo_columns():
        op.add_column('lex_sarah_ivo', column)
    op.add_column('provider_settings', sa.Column('municipality', sa.String(length=100), nullable=False,
                                                 server_default=''))


def downgrade():
    with op.batch_alter_table('provider_settings', schema=None) as batch_op:
        batch_op.drop_column('municipality')
    with op.batch_alter_table('lex_sarah_ivo', schema=None) as batch_op:
        for column in reversed(_ivo_columns()):
            batch_op.drop_column(column.name)
