"""lex Sarah duties: the work group in informing, the ställningstagande's hand-over details

Revision ID: 0023_lex_sarah_duties
Revises: 0019_reminder_log
Create Date: 2026-12-05 10:00:00

- lex_sarah_informing: work_group_on / work_group_na_reason (the reporter's work group gets
  feedback too) with its CHECK (a date or a reason, not both). A batch alter of this table,
  not of `cases`.
- lex_sarah_ivo: finalised_at / finalised_by_id (the officer signs, which freezes the
  document, before the sending is recorded); the CHECK for a notification no longer demands
  IVO's reference (it is added when IVO confirms) but the signing. Notifications already sent
  count as signed when they were recorded. Also IVO's request for a supplement (komplettering):
  when, by when, what, and when it was answered.
- lex_sarah_protection: the immediate protection of the individual (what, when, by whom).
- lex_sarah_section_notes: an explicit "nothing to record" with a reason for one of the nine
  sections of a lex Sarah investigation.
- provider_settings: sol_2025_paragraphs, the lex Sarah paragraphs of socialtjänstlagen
  (2025:400) once an admin has confirmed them (the notification's legal line is chosen by
  the date of the event).
- cases: position_passed_to, position_passed_on (the officer's ställningstagande: to whom a
  matter outside the nämnd's own activity was passed; when a health-care matter went to the
  MAS). Plain ADD COLUMN, so on SQLite the full-text-search triggers of `cases` stay.
"""
import sqlalchemy as sa
from alembic import op

_NOTIFIED_TAIL = ("AND document_html IS NOT NULL AND document_pdf IS NOT NULL "
                  "AND html_sha256 IS NOT NULL AND pdf_sha256 IS NOT NULL "
                  "AND investigation_due_on IS NOT NULL)")
NOTIFIED_NEW = ("decision IS NULL OR decision = 'not_notified' OR "
                "(sent_via IS NOT NULL AND sent_on IS NOT NULL AND finalised_at IS NOT NULL " + _NOTIFIED_TAIL)
NOTIFIED_OLD = ("decision IS NULL OR decision = 'not_notified' OR "
                "(sent_via IS NOT NULL AND sent_on IS NOT NULL AND ivo_reference <> '' " + _NOTIFIED_TAIL)


# revision identifiers, used by Alembic.
revision = '0023_lex_sarah_duties'
down_revision = '0022_statistics_v2'
branch_labels = None
depends_on = None


def upgrade():
    # The notification is finalised (signed, frozen) before it is sent; IVO's reference may come later.
    with op.batch_alter_table('lex_sarah_ivo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finalised_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('finalised_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_lex_sarah_ivo_finalised_by_id_users'), 'users', ['finalised_by_id'],
                                    ['id'])
        batch_op.add_column(sa.Column('supplement_requested_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('supplement_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('supplement_request_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('supplement_answered_on', sa.Date(), nullable=True))
        batch_op.create_index(op.f('ix_lex_sarah_ivo_supplement_due_on'), ['supplement_due_on'], unique=False)
    op.execute("UPDATE lex_sarah_ivo SET finalised_at = decided_at, finalised_by_id = decided_by_id "
               "WHERE decision = 'notified'")
    with op.batch_alter_table('lex_sarah_ivo', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_lex_sarah_ivo_notified_complete'), type_='check')
        batch_op.create_check_constraint(op.f('ck_lex_sarah_ivo_notified_complete'), NOTIFIED_NEW)
    op.create_table('lex_sarah_protection',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('done_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_name', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("what <> '' AND done_by <> ''", name=op.f('ck_lex_sarah_protection_complete')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_lex_sarah_protection_case_id_cases'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                            name=op.f('fk_lex_sarah_protection_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_lex_sarah_protection'))
    )
    op.create_table('lex_sarah_section_notes',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_name', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("section IN ('what_happened', 'came_to_attention', 'when_happened', 'causes', "
                       "'happened_before', 'could_recur', 'measures', 'other', 'decision')",
                       name=op.f('ck_lex_sarah_section_notes_section')),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_lex_sarah_section_notes_reason')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_lex_sarah_section_notes_case_id_cases'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                            name=op.f('fk_lex_sarah_section_notes_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('case_id', 'section', name=op.f('pk_lex_sarah_section_notes'))
    )
    with op.batch_alter_table('lex_sarah_informing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('work_group_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('work_group_na_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.create_check_constraint(op.f('ck_lex_sarah_informing_work_group_date_or_reason'),
                                         "work_group_on IS NULL OR work_group_na_reason = ''")
    op.add_column('cases', sa.Column('position_passed_to', sa.String(length=300), nullable=True))
    op.add_column('cases', sa.Column('position_passed_on', sa.Date(), nullable=True))
    op.add_column('provider_settings', sa.Column('sol_2025_paragraphs', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('provider_settings', schema=None) as batch_op:
        batch_op.drop_column('sol_2025_paragraphs')
    with op.batch_alter_table('cases', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('position_passed_on')
        batch_op.drop_column('position_passed_to')
    with op.batch_alter_table('lex_sarah_informing', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_lex_sarah_informing_work_group_date_or_reason'), type_='check')
        batch_op.drop_column('work_group_na_reason')
        batch_op.drop_column('work_group_on')
    op.drop_table('lex_sarah_section_notes')
    op.drop_table('lex_sarah_protection')
    # The old rule demanded IVO's reference at sending: a notification still waiting for it gets a dash.
    op.execute("UPDATE lex_sarah_ivo SET ivo_reference = '–' WHERE decision = 'notified' AND ivo_reference = ''")
    with op.batch_alter_table('lex_sarah_ivo', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_lex_sarah_ivo_notified_complete'), type_='check')
        batch_op.create_check_constraint(op.f('ck_lex_sarah_ivo_notified_complete'), NOTIFIED_OLD)
        batch_op.drop_constraint(op.f('fk_lex_sarah_ivo_finalised_by_id_users'), type_='foreignkey')
        batch_op.drop_index(op.f('ix_lex_sarah_ivo_supplement_due_on'))
        batch_op.drop_column('supplement_answered_on')
        batch_op.drop_column('supplement_request_text')
        batch_op.drop_column('supplement_due_on')
        batch_op.drop_column('supplement_requested_on')
        batch_op.drop_column('finalised_by_id')
        batch_op.drop_column('finalised_at')
