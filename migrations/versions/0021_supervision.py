"""supervision cases (tillsynsärenden): the kind in ck_cases_kind and the kind's own tables

Revision ID: 0021_supervision
Revises: 0019_reminder_log
Create Date: 2026-12-05 10:30:00

On SQLite, changing the CHECK constraint on `cases` is a batch copy of the table, which drops
the free-text search triggers of 0018_search: they are created again (the statements copied
from 0018_search, as migrations/README says) and the index rebuilt. The downgrade deletes the
supervision cases (their rows in `cases` could not pass the old constraint) with their
journal, attachment rows, feedback and actions (the audit log keeps its entries), then restores
the constraint.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021_supervision'
down_revision = '0020_public_texts'
branch_labels = None
depends_on = None

KINDS_BEFORE = "kind IN ('deviation', 'lex_sarah', 'complaint')"
KINDS_AFTER = "kind IN ('deviation', 'lex_sarah', 'complaint', 'supervision')"

INDEXED = "reference, summary, description, client_name"
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS cases_search_update",
    "DROP TRIGGER IF EXISTS cases_search_delete",
    "DROP TRIGGER IF EXISTS cases_search_insert",
    f"CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN "
    f"INSERT INTO cases_search(rowid, {INDEXED}) "
    "VALUES (new.id, new.reference, new.summary, new.description, new.client_name); END",
    f"CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN "
    f"INSERT INTO cases_search(cases_search, rowid, {INDEXED}) "
    "VALUES ('delete', old.id, old.reference, old.summary, old.description, old.client_name); END",
    f"CREATE TRIGGER cases_search_update AFTER UPDATE OF {INDEXED} ON cases BEGIN "
    f"INSERT INTO cases_search(cases_search, rowid, {INDEXED}) "
    "VALUES ('delete', old.id, old.reference, old.summary, old.description, old.client_name); "
    f"INSERT INTO cases_search(rowid, {INDEXED}) "
    "VALUES (new.id, new.reference, new.summary, new.description, new.client_name); END",
    "INSERT INTO cases_search(cases_search) VALUES ('rebuild')",
]


def _kind_constraint(condition):
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cases_kind'), type_='check')
        batch_op.create_check_constraint('kind', condition)
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def upgrade():
    _kind_constraint(KINDS_AFTER)
    op.create_table('supervision_details',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('authority', sa.String(length=20), nullable=False),
    sa.Column('authority_name', sa.String(length=200), nullable=False),
    sa.Column('authority_reference', sa.String(length=60), nullable=False),
    sa.Column('letter_on', sa.Date(), nullable=False),
    sa.Column('subject', sa.String(length=20), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('board_reference', sa.String(length=60), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('with_fine', sa.Boolean(), nullable=True),
    sa.Column('decision_text', sa.Text(), nullable=False),
    sa.Column('decision_recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("authority IN ('ivo', 'socialstyrelsen', 'jo', 'other')",
                       name=op.f('ck_supervision_details_authority')),
    sa.CheckConstraint("subject IN ('activity', 'individual_case', 'theme')",
                       name=op.f('ck_supervision_details_subject')),
    sa.CheckConstraint("origin IN ('initiative', 'complaint', 'lex_sarah')",
                       name=op.f('ck_supervision_details_origin')),
    sa.CheckConstraint("decision IS NULL OR decision IN "
                       "('no_criticism', 'criticism', 'demands', 'injunction')",
                       name=op.f('ck_supervision_details_decision_value')),
    sa.CheckConstraint("with_fine IS NULL OR decision = 'injunction'",
                       name=op.f('ck_supervision_details_fine_with_injunction')),
    sa.CheckConstraint("(decision IS NULL AND decided_on IS NULL) OR "
                       "(decision IS NOT NULL AND decided_on IS NOT NULL)",
                       name=op.f('ck_supervision_details_decision_complete')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_supervision_details_case_id_cases'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decision_recorded_by_id'], ['users.id'],
                            name=op.f('fk_supervision_details_decision_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'],
                            name=op.f('fk_supervision_details_registered_by_id_users')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_supervision_details'))
    )
    op.create_table('supervision_units',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_supervision_units_case_id_cases'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_supervision_units_unit_id_units')),
    sa.PrimaryKeyConstraint('case_id', 'unit_id', name=op.f('pk_supervision_units'))
    )
    op.create_index(op.f('ix_supervision_units_unit_id'), 'supervision_units', ['unit_id'], unique=False)
    op.create_table('supervision_links',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('linked_case_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_supervision_links_case_id_cases'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['linked_case_id'], ['cases.id'],
                            name=op.f('fk_supervision_links_linked_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', 'linked_case_id', name=op.f('pk_supervision_links'))
    )
    op.create_index(op.f('ix_supervision_links_linked_case_id'), 'supervision_links', ['linked_case_id'],
                    unique=False)
    op.create_table('supervision_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('extended_due_on', sa.Date(), nullable=True),
    sa.Column('extension_note', sa.Text(), nullable=False),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('reply_channel', sa.String(length=20), nullable=False),
    sa.Column('signed_by', sa.String(length=200), nullable=False),
    sa.Column('reply_note', sa.Text(), nullable=False),
    sa.Column('reply_attachment_id', sa.Integer(), nullable=True),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("purpose IN ('statement', 'documents', 'information', 'report_back')",
                       name=op.f('ck_supervision_requests_purpose')),
    sa.CheckConstraint('due_on >= requested_on', name=op.f('ck_supervision_requests_due_after_request')),
    sa.CheckConstraint('replied_on IS NULL OR replied_on >= requested_on',
                       name=op.f('ck_supervision_requests_reply_after_request')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_supervision_requests_case_id_cases'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                            name=op.f('fk_supervision_requests_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['replied_by_id'], ['users.id'],
                            name=op.f('fk_supervision_requests_replied_by_id_users')),
    sa.ForeignKeyConstraint(['reply_attachment_id'], ['attachments.id'],
                            name=op.f('fk_supervision_requests_reply_attachment_id_attachments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_requests'))
    )
    op.create_index(op.f('ix_supervision_requests_case_id'), 'supervision_requests', ['case_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_supervision_requests_case_id'), table_name='supervision_requests')
    op.drop_table('supervision_requests')
    op.drop_index(op.f('ix_supervision_links_linked_case_id'), table_name='supervision_links')
    op.drop_table('supervision_links')
    op.drop_index(op.f('ix_supervision_units_unit_id'), table_name='supervision_units')
    op.drop_table('supervision_units')
    op.drop_table('supervision_details')
    # The supervision cases cannot stay under the old constraint; what hangs off them goes too.
    supervision = "(SELECT id FROM cases WHERE kind = 'supervision')"
    for table in ("journal_events", "attachments", "case_disqualifications", "case_feedback", "actions",
                  "case_categories"):
        op.execute(f"DELETE FROM {table} WHERE case_id IN {supervision}")
    op.execute("DELETE FROM cases WHERE kind = 'supervision'")
    op.execute("DELETE FROM reference_counters WHERE kind = 'supervision'")
    _kind_constraint(KINDS_BEFORE)
