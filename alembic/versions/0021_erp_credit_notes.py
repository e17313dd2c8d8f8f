"""the embedded ERP's credit notes for portal returns and credit requests

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-05 17:10:00.000000

``erp_credit_note`` holds one credit note per portal return or credit request
(``request_number``, the idempotency key): the credited lines as the portal sent them, the
reason, and the ``erp_document`` row (kind ``credit_note``) the customer sees.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0021'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'erp_credit_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('document_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('customer_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column(
            'portal_order_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False
        ),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column('lines', sa.JSON(), nullable=True),
        sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['customer_number'], ['erp_customer.customer_number']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('document_number'),
        sa.UniqueConstraint('request_number'),
    )
    op.create_index('ix_erp_credit_note_customer_number', 'erp_credit_note', ['customer_number'])


def downgrade() -> None:
    op.drop_index('ix_erp_credit_note_customer_number', table_name='erp_credit_note')
    op.drop_table('erp_credit_note')
