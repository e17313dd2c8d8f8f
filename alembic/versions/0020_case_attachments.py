"""case attachments: files attached to a case's messages and notes, their bytes apart

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-05 17:20:00.000000

``case_attachment`` describes a file (the case and entry it belongs to, who uploaded it, its
safe name, the type its content showed, its size); until its message is sent it is staged
(``entry_id`` null) and shown to nobody. ``case_attachment_blob`` holds the bytes, in the
database so that every worker serves them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0020'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'case_attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('entry_id', sa.Integer(), nullable=True),
        sa.Column('uploader_kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('uploader_ref', sa.Integer(), nullable=False),
        sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['support_case.id']),
        sa.ForeignKeyConstraint(['company_id'], ['company.id']),
        sa.ForeignKeyConstraint(['entry_id'], ['case_entry.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    for column in ('company_id', 'case_id', 'entry_id'):
        op.create_index(f'ix_case_attachment_{column}', 'case_attachment', [column], unique=False)
    op.create_table(
        'case_attachment_blob',
        sa.Column('attachment_id', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['attachment_id'], ['case_attachment.id']),
        sa.PrimaryKeyConstraint('attachment_id'),
    )


def downgrade() -> None:
    op.drop_table('case_attachment_blob')
    op.drop_table('case_attachment')
