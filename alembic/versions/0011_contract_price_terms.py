"""contract prices have a validity and quantity breaks: several rows per customer and SKU

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 11:40:00.000000

``erp_price`` gets a surrogate key, ``valid_from``/``valid_to`` (dates, inclusive, NULL for an
open end) and ``min_quantity`` (1 for the plain contract price, more for a quantity break).
The table is small master data: its rows are read, the table is made again and the rows are
written back, each as an open-ended contract price from 1 piece (what they meant before).
Downgrading keeps, per customer and SKU, the plain contract price that started last.

Also creates ``ix_erp_contact_email_lower``, the expression index the ERP contact table
declares but no earlier revision created (SQLite's reflection could not show it missing).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_COLUMNS = ('customer_number', 'sku', 'price', 'currency')


def _key_columns() -> list[sa.Column]:
    return [
        sa.Column('customer_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('sku', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    ]


def _foreign_keys() -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(['customer_number'], ['erp_customer.customer_number']),
        sa.ForeignKeyConstraint(['sku'], ['erp_product.sku']),
    ]


def _rows(columns: Sequence[str], order_by: str = '') -> list[dict]:
    query = f"SELECT {', '.join(columns)} FROM erp_price {order_by}"
    return [dict(row._mapping) for row in op.get_bind().execute(sa.text(query))]


def upgrade() -> None:
    rows = _rows(_OLD_COLUMNS)
    op.drop_table('erp_price')
    table = op.create_table(
        'erp_price',
        sa.Column('id', sa.Integer(), nullable=False),
        *_key_columns(),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('min_quantity', sa.Integer(), nullable=False),
        *_foreign_keys(),
        sa.CheckConstraint('min_quantity >= 1', name='ck_erp_price_min_quantity'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_erp_price_customer_sku', 'erp_price', ['customer_number', 'sku'])
    op.create_index('ix_erp_contact_email_lower', 'erp_contact', [sa.text('lower(email)')])
    if rows:
        op.bulk_insert(table, [{**row, 'min_quantity': 1} for row in rows])


def downgrade() -> None:
    rows = _rows(
        (*_OLD_COLUMNS, 'valid_from'),
        "WHERE min_quantity = 1 ORDER BY customer_number, sku, valid_from",
    )
    latest: dict[tuple[str, str], dict] = {}
    for row in rows:  # NULL (since ever) sorts first on SQLite, last on PostgreSQL
        key = (row['customer_number'], row['sku'])
        if key not in latest or (row['valid_from'] is not None and (
            latest[key]['valid_from'] is None or row['valid_from'] > latest[key]['valid_from']
        )):
            latest[key] = row
    op.drop_index('ix_erp_contact_email_lower', table_name='erp_contact')
    op.drop_index('ix_erp_price_customer_sku', table_name='erp_price')
    op.drop_table('erp_price')
    table = op.create_table(
        'erp_price',
        *_key_columns(),
        *_foreign_keys(),
        sa.PrimaryKeyConstraint('customer_number', 'sku'),
    )
    if latest:
        op.bulk_insert(
            table, [{c: row[c] for c in _OLD_COLUMNS} for row in latest.values()]
        )
