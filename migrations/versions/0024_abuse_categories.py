"""abuse categories and the deviation's "possibly a missförhållande"

Revision ID: 0024_abuse_categories
Revises: 0023_lex_sarah_duties
Create Date: 2026-12-05 13:00:00

- categories.describes_abuse: the admin marks the categories that describe abuse (fysiska,
  psykiska, sexuella, ekonomiska övergrepp). A deviation filed with one is first offered as a
  lex Sarah report. Existing deviation categories with those four names (the words of the
  municipalities' lists and of the demo data) are marked.
- cases.possible_misconduct: the reporter of a deviation ticked "Detta kan vara ett
  missförhållande (lex Sarah)". Plain ADD COLUMN, so on SQLite the full-text-search
  triggers of `cases` stay.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_abuse_categories'
down_revision = '0023_lex_sarah_duties'
branch_labels = None
depends_on = None

# Copied, not imported: a migration must not depend on the application as it will be later.
ABUSE_NAMES = ("Fysiska övergrepp", "Psykiska övergrepp", "Sexuella övergrepp", "Ekonomiska övergrepp")


def upgrade():
    op.add_column('categories', sa.Column('describes_abuse', sa.Boolean(), nullable=False,
                                          server_default=sa.false()))
    categories = sa.table('categories', sa.column('kind', sa.String), sa.column('name', sa.String),
                          sa.column('describes_abuse', sa.Boolean))
    op.execute(categories.update().where(categories.c.kind == 'deviation', categories.c.name.in_(ABUSE_NAMES))
               .values(describes_abuse=True))
    op.add_column('cases', sa.Column('possible_misconduct', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('cases', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('possible_misconduct')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_column('describes_abuse')
