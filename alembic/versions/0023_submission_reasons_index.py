"""submission reasons index: this month's submissions of a company, read by the index

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 00:30:00.000000

The controller's dashboard counts the limits this month's submissions exceeded in SQL; the
index on (company_id, kind, created_at) finds those events without reading the company's
whole timeline.
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('order_event', schema=None) as batch_op:
        batch_op.create_index(
            'ix_order_event_company_kind_created', ['company_id', 'kind', 'created_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('order_event', schema=None) as batch_op:
        batch_op.drop_index('ix_order_event_company_kind_created')
