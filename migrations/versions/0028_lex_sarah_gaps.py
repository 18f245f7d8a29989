"""lex Sarah gaps: an investigator's proposal of a ställningstagande

Revision ID: 0028_lex_sarah_gaps
Revises: 0027_notification_fields
Create Date: 2026-12-05 13:00:00

- lex_sarah_position_proposals: an investigator's proposal that the officer close the short
  investigation with a ställningstagande (reason, text and the reason's details), open until
  the officer adopts it (closing with a ställningstagande) or declines it with a reason.
- lex_sarah_supplements: IVO's requests for a supplement (komplettering), any number per case,
  each with its last day and its reply. The one request a case could hold until now
  (lex_sarah_ivo.supplement_*) moves there, and those columns go (a batch alter of
  lex_sarah_ivo, not of `cases`). The downgrade keeps each case's latest request.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028_lex_sarah_gaps'
down_revision = '0027_notification_fields'
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

    op.create_table('lex_sarah_supplements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('request_text', sa.Text(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("request_text <> ''", name=op.f('ck_lex_sarah_supplements_request_text')),
    sa.CheckConstraint("due_on >= requested_on", name=op.f('ck_lex_sarah_supplements_due_after_request')),
    sa.CheckConstraint("answered_on IS NULL OR answered_on >= requested_on",
                       name=op.f('ck_lex_sarah_supplements_answer_after_request')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_lex_sarah_supplements_case_id_cases'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                            name=op.f('fk_lex_sarah_supplements_requested_by_id_users')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'],
                            name=op.f('fk_lex_sarah_supplements_answered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lex_sarah_supplements'))
    )
    op.create_index(op.f('ix_lex_sarah_supplements_case_id'), 'lex_sarah_supplements', ['case_id'], unique=False)
    op.create_index(op.f('ix_lex_sarah_supplements_due_on'), 'lex_sarah_supplements', ['due_on'], unique=False)
    # The one request each case could hold so far (who recorded it was not kept; when: the notification's).
    op.execute("INSERT INTO lex_sarah_supplements (case_id, requested_on, due_on, request_text, answered_on, "
               "requested_at) SELECT case_id, supplement_requested_on, supplement_due_on, "
               "COALESCE(NULLIF(supplement_request_text, ''), '-'), supplement_answered_on, "
               "COALESCE(decided_at, CURRENT_TIMESTAMP) "
               "FROM lex_sarah_ivo WHERE supplement_requested_on IS NOT NULL AND supplement_due_on IS NOT NULL")
    with op.batch_alter_table('lex_sarah_ivo', schema=None) as batch_op:
        batch_op.drop_index(op.f('ix_lex_sarah_ivo_supplement_due_on'))
        batch_op.drop_column('supplement_answered_on')
        batch_op.drop_column('supplement_request_text')
        batch_op.drop_column('supplement_due_on')
        batch_op.drop_column('supplement_requested_on')


def downgrade():
    with op.batch_alter_table('lex_sarah_ivo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplement_requested_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('supplement_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('supplement_request_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('supplement_answered_on', sa.Date(), nullable=True))
        batch_op.create_index(op.f('ix_lex_sarah_ivo_supplement_due_on'), ['supplement_due_on'], unique=False)
    latest = ("(SELECT s.{column} FROM lex_sarah_supplements s WHERE s.case_id = lex_sarah_ivo.case_id "
              "ORDER BY s.id DESC LIMIT 1)")
    op.execute("UPDATE lex_sarah_ivo SET " + ", ".join(
        f"supplement_{old} = {latest.format(column=new)}" for old, new in (
            ("requested_on", "requested_on"), ("due_on", "due_on"), ("request_text", "request_text"),
            ("answered_on", "answered_on"))))
    op.drop_index(op.f('ix_lex_sarah_supplements_due_on'), table_name='lex_sarah_supplements')
    op.drop_index(op.f('ix_lex_sarah_supplements_case_id'), table_name='lex_sarah_supplements')
    op.drop_table('lex_sarah_supplements')
    op.drop_index(op.f('ix_lex_sarah_position_proposals_case_id'), table_name='lex_sarah_position_proposals')
    op.drop_table('lex_sarah_position_proposals')
