"""jäv: the registrar apart from the reporter, and the staff a report concerns

Revision ID: 0026_registrar_and_concerned
Revises: 0025_investigation_document
Create Date: 2026-12-05 13:00:00

- cases.registered_by_id: who filed the report in Värna (the reporter, or a registrar writing
  down a report made to them); filled in from reporter_id for the cases filed before.
- cases.reporter_name: the actual reporter's name when they are not a person in Värna.
  Both plain ADD COLUMN, so on SQLite the full-text-search triggers of `cases` stay (SQLite
  cannot add a foreign key by ALTER TABLE except written into the column, hence the branch).
- case_concerned_staff: the staff members a report concerns ("Berörd personal"), who never
  see or handle it.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026_registrar_and_concerned'
down_revision = '0025_investigation_document'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE cases ADD COLUMN registered_by_id INTEGER "
                   "CONSTRAINT fk_cases_registered_by_id_users REFERENCES users (id)")
    else:
        op.add_column('cases', sa.Column('registered_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_cases_registered_by_id_users'), 'cases', 'users',
                              ['registered_by_id'], ['id'])
    op.create_index(op.f('ix_cases_registered_by_id'), 'cases', ['registered_by_id'], unique=False)
    op.add_column('cases', sa.Column('reporter_name', sa.String(length=200), nullable=True))
    op.execute("UPDATE cases SET registered_by_id = reporter_id WHERE reporter_id IS NOT NULL")
    op.create_table(
        'case_concerned_staff',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['added_by_id'], ['users.id'],
                                name=op.f('fk_case_concerned_staff_added_by_id_users')),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE',
                                name=op.f('fk_case_concerned_staff_case_id_cases')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_concerned_staff_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_concerned_staff')),
        sa.UniqueConstraint('case_id', 'user_id', name='uq_case_concerned_staff_case_user'),
    )
    with op.batch_alter_table('case_concerned_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_concerned_staff_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_concerned_staff_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('case_concerned_staff')
    op.drop_index(op.f('ix_cases_registered_by_id'), table_name='cases')
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('fk_cases_registered_by_id_users'), 'cases', type_='foreignkey')
    # SQLite drops a column in place (3.35+) when no index or constraint other than the column's
    # own foreign key names it: recreate='never' keeps the table and so its search triggers.
    with op.batch_alter_table('cases', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('reporter_name')
        batch_op.drop_column('registered_by_id')
