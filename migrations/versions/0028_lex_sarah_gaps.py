"""lex Sarah gaps: an investigator's proposal of a ställningstagande

Revision ID: 0028_lex_sarah_gaps
Revises: 0023_lex_sarah_duties
Create Date: 2026-12-05 13:00:00

- lex_sarah_position_proposals: an investigator's proposal that the officer close the short
  investigation with a ställningstagande (reason, text and the reason's details), open until
  the officer adopts it (closing with a ställningstagande) or declines it with a reason.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028_lex_sarah_gaps'
down_revision = '0023_lex_sarah_duties'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lex_sarah_position_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('linked_reference', sa.String(length=30), nullable=False),
    sa.Column('passed_to', sa.String(length=300), nullable=False),
    sa.Column('passed_on', sa.Date(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('settled_by_id', sa.Integer(), nullable=True),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("reason IN ('no_misconduct', 'already_investigated', 'not_own_service', 'health_care')",
                       name=op.f('ck_lex_sarah_position_proposals_reason')),
    sa.CheckConstraint("text <> ''", name=op.f('ck_lex_sarah_position_proposals_text')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('adopted', 'declined')",
                       name=op.f('ck_lex_sarah_position_proposals_outcome')),
    sa.CheckConstraint("(outcome IS NULL AND settled_at IS NULL) OR (outcome IS NOT NULL AND settled_at IS NOT NULL)",
                       name=op.f('ck_lex_sarah_position_proposals_settled')),
    sa.CheckConstraint("outcome IS NULL OR outcome = 'adopted' OR decline_reason <> ''",
                       name=op.f('ck_lex_sarah_position_proposals_decline_reason')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_lex_sarah_position_proposals_case_id_cases'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'],
                            name=op.f('fk_lex_sarah_position_proposals_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['settled_by_id'], ['users.id'],
                            name=op.f('fk_lex_sarah_position_proposals_settled_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lex_sarah_position_proposals'))
    )
    op.create_index(op.f('ix_lex_sarah_position_proposals_case_id'), 'lex_sarah_position_proposals', ['case_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_lex_sarah_position_proposals_case_id'), table_name='lex_sarah_position_proposals')
    op.drop_table('lex_sarah_position_proposals')
