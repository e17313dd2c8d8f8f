"""punchout: connections of procurement systems (cXML, OCI), their sessions and messages

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 13:41:02.474181

``punchout_connection`` names a company's procurement system (Sender credential or OCI user
name, the shared secret as SHA-256, role mapping, allowed origins); ``punchout_session`` one
punchout (setup request, user, what was transferred back, the order); ``punchout_message`` every
raw message with our answer; ``punchout_order`` makes an OrderRequest count once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('punchout_connection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('protocol', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('identity_domain', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('identity', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('default_role_id', sa.Integer(), nullable=True),
    sa.Column('role_field', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('role_mapping', sa.JSON(), nullable=True),
    sa.Column('user_field', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('allowed_origins', sa.JSON(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.ForeignKeyConstraint(['created_by_staff_id'], ['staff_member.id'], ),
    sa.ForeignKeyConstraint(['default_role_id'], ['role.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('protocol', 'identity_domain', 'identity')
    )
    with op.batch_alter_table('punchout_connection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_punchout_connection_company_id'), ['company_id'], unique=False)

    op.create_table('punchout_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('connection_id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('operation', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('buyer_cookie', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('return_url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('echo', sa.JSON(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('user_created', sa.Boolean(), nullable=False),
    sa.Column('auth_session_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('setup_request', sa.Text(), nullable=False),
    sa.Column('transferred', sa.JSON(), nullable=True),
    sa.Column('transfer_message', sa.Text(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('transferred_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['auth_session_id'], ['auth_session.id'], ),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.ForeignKeyConstraint(['connection_id'], ['punchout_connection.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['customer_order.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('punchout_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_punchout_session_auth_session_id'), ['auth_session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_punchout_session_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_punchout_session_connection_id'), ['connection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_punchout_session_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_punchout_session_reference'), ['reference'], unique=True)
        batch_op.create_index(batch_op.f('ix_punchout_session_user_id'), ['user_id'], unique=False)

    op.create_table('punchout_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('connection_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.ForeignKeyConstraint(['connection_id'], ['punchout_connection.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['punchout_session.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('punchout_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_punchout_message_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_punchout_message_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_punchout_message_session_id'), ['session_id'], unique=False)

    op.create_table('punchout_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('connection_id', sa.Integer(), nullable=False),
    sa.Column('payload_id', sqlmodel.sql.sqltypes.AutoString(length=250), nullable=False),
    sa.Column('buyer_order_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.ForeignKeyConstraint(['connection_id'], ['punchout_connection.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['customer_order.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['punchout_session.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('connection_id', 'buyer_order_id'),
    sa.UniqueConstraint('connection_id', 'payload_id')
    )
    with op.batch_alter_table('punchout_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_punchout_order_company_id'), ['company_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('punchout_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_punchout_order_company_id'))

    op.drop_table('punchout_order')
    with op.batch_alter_table('punchout_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_punchout_message_session_id'))
        batch_op.drop_index(batch_op.f('ix_punchout_message_created_at'))
        batch_op.drop_index(batch_op.f('ix_punchout_message_company_id'))

    op.drop_table('punchout_message')
    with op.batch_alter_table('punchout_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_punchout_session_user_id'))
        batch_op.drop_index(batch_op.f('ix_punchout_session_reference'))
        batch_op.drop_index(batch_op.f('ix_punchout_session_created_at'))
        batch_op.drop_index(batch_op.f('ix_punchout_session_connection_id'))
        batch_op.drop_index(batch_op.f('ix_punchout_session_company_id'))
        batch_op.drop_index(batch_op.f('ix_punchout_session_auth_session_id'))

    op.drop_table('punchout_session')
    with op.batch_alter_table('punchout_connection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_punchout_connection_company_id'))

    op.drop_table('punchout_connection')
