"""lex Sarah: the frozen copy of the investigation document sent to IVO

Revision ID: 0025_investigation_document
Revises: 0024_abuse_categories
Create Date: 2026-12-05 13:00:00

- lex_sarah_investigation_documents: "Utredning enligt lex Sarah" as sent to IVO, HTML and PDF
  with their SHA-256, taken when the investigation is recorded as sent (one row per case). A new
  table: `cases` and `lex_sarah_ivo` are not altered.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_investigation_document'
down_revision = '0024_abuse_categories'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lex_sarah_investigation_documents',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('document_html', sa.Text(), nullable=False),
    sa.Column('document_pdf', sa.LargeBinary(), nullable=False),
    sa.Column('html_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('frozen_at', sa.DateTime(), nullable=False),
    sa.Column('frozen_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(html_sha256) = 64 AND length(pdf_sha256) = 64',
                       name=op.f('ck_lex_sarah_investigation_documents_checksums')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'],
                            name=op.f('fk_lex_sarah_investigation_documents_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['frozen_by_id'], ['users.id'],
                            name=op.f('fk_lex_sarah_investigation_documents_frozen_by_id_users')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_lex_sarah_investigation_documents'))
    )


def downgrade():
    op.drop_table('lex_sarah_investigation_documents')
