"""case return link: a support case may be about one of the company's returns

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-05 17:50:00.000000

``support_case.return_id`` (nullable, indexed): the return "Ask about this return" opened the
case about; the case page links to it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0022'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('support_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('return_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_support_case_return_id'), ['return_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_support_case_return_id', 'return_request', ['return_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('support_case', schema=None) as batch_op:
        batch_op.drop_constraint('fk_support_case_return_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_support_case_return_id'))
        batch_op.drop_column('return_id')
