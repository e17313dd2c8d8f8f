"""documents from the ERP and the VAT rate per customer

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 13:55:00.000000

``erp_document`` holds the metadata of the documents the (embedded) ERP issued to a customer:
invoices, delivery notes, credit notes, order confirmations, product certificates; the PDF is
written when a document is fetched. ``erp_customer.vat_rate`` is the VAT rate (percent) the
ERP charges the customer; existing customers get 19.00. ``customer_order.vat_rate`` is the
rate the ERP named when an order was placed (empty for older orders). ``erp_product`` gains
the catalogue's category, stock, lead time and picture.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE (no table copy): both tables are referenced by others, and SQLite
    # refuses to drop a referenced table that has rows while foreign keys are enforced.
    op.add_column('customer_order', sa.Column('vat_rate', sa.Numeric(5, 2), nullable=True))
    op.add_column(
        'erp_customer',
        sa.Column('vat_rate', sa.Numeric(5, 2), nullable=False, server_default='19.00'),
    )
    op.add_column(
        'erp_product',
        sa.Column('category', sa.String(length=60), nullable=False, server_default=''),
    )
    op.add_column('erp_product', sa.Column('stock', sa.Integer(), nullable=True))
    op.add_column('erp_product', sa.Column('lead_days', sa.Integer(), nullable=True))
    op.add_column('erp_product', sa.Column('image_url', sa.String(length=300), nullable=True))
    op.create_index('ix_erp_product_category', 'erp_product', ['category'])
    op.create_table(
        'erp_document',
        sa.Column('document_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('customer_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('order_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column('sku', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.CheckConstraint(
            "kind IN ('invoice', 'delivery_note', 'credit_note', 'order_confirmation', "
            "'certificate')",
            name='ck_erp_document_kind',
        ),
        sa.ForeignKeyConstraint(['customer_number'], ['erp_customer.customer_number']),
        sa.PrimaryKeyConstraint('document_number'),
    )
    op.create_index(
        'ix_erp_document_customer_issued',
        'erp_document',
        ['customer_number', 'issued_on', 'document_number'],
    )
    op.create_index(
        'ix_erp_document_customer_kind_issued',
        'erp_document',
        ['customer_number', 'kind', 'issued_on', 'document_number'],
    )
    op.create_index(
        'ix_erp_document_customer_order',
        'erp_document',
        ['customer_number', 'order_number', 'issued_on', 'document_number'],
    )


def downgrade() -> None:
    op.drop_index('ix_erp_document_customer_order', table_name='erp_document')
    op.drop_index('ix_erp_document_customer_kind_issued', table_name='erp_document')
    op.drop_index('ix_erp_document_customer_issued', table_name='erp_document')
    op.drop_table('erp_document')
    op.drop_column('erp_customer', 'vat_rate')
    op.drop_index('ix_erp_product_category', table_name='erp_product')
    for column in ('image_url', 'lead_days', 'stock', 'category'):
        op.drop_column('erp_product', column)
    op.drop_column('customer_order', 'vat_rate')
