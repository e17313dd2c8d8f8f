"""sso domains are proven (erp or dns); unproven ones wait as claims

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:30:00.000000

Domains stored before this revision were never proven. Those the embedded ERP lists for the
company stay (proven by the ERP); the others become claims waiting for their DNS proof, so
they route no sign-in until the main contact proves them. A company with password sign-in
off whose main contact's domain is no longer proven gets password sign-in back on, or nobody
of it could sign in.
"""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sso_domain_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('domain', sqlmodel.sql.sqltypes.AutoString(length=253), nullable=False),
    sa.Column('txt_value', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('checked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('company_id', 'domain')
    )
    with op.batch_alter_table('sso_domain_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sso_domain_claim_company_id'), ['company_id'], unique=False)

    with op.batch_alter_table('sso_domain', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proof', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False, server_default='erp'))
        batch_op.add_column(sa.Column('proven_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False, server_default=sa.func.now()))

    _prove_or_wait(op.get_bind())


def _prove_or_wait(connection: sa.Connection) -> None:
    domain = sa.table('sso_domain', sa.column('domain'), sa.column('company_id'))
    claim = sa.table(
        'sso_domain_claim',
        sa.column('company_id'),
        sa.column('domain'),
        sa.column('txt_value'),
        sa.column('created_at', sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    company = sa.table(
        'company',
        sa.column('id'),
        sa.column('customer_number'),
        sa.column('password_sign_in_enabled'),
    )
    erp = sa.table('erp_customer', sa.column('customer_number'), sa.column('email_domains'))
    user = sa.table('user_account', sa.column('company_id'), sa.column('email'), sa.column('is_main_contact'))
    listed = {
        number.strip().upper(): set((domains or '').lower().split())
        for number, domains in connection.execute(sa.select(erp.c.customer_number, erp.c.email_domains))
    }
    rows = connection.execute(
        sa.select(domain.c.domain, domain.c.company_id, company.c.customer_number).join(
            company, company.c.id == domain.c.company_id
        )
    ).all()
    now = datetime.now(UTC)
    for name, company_id, number in rows:
        if name in listed.get((number or '').strip().upper(), set()):
            continue
        connection.execute(sa.delete(domain).where(domain.c.domain == name))
        connection.execute(
            sa.insert(claim).values(
                company_id=company_id, domain=name, txt_value=secrets.token_urlsafe(32), created_at=now
            )
        )
    proven = {(c, d) for d, c in connection.execute(sa.select(domain.c.domain, domain.c.company_id))}
    locked = connection.execute(
        sa.select(company.c.id, user.c.email)
        .join(user, user.c.company_id == company.c.id)
        .where(company.c.password_sign_in_enabled == sa.false(), user.c.is_main_contact == sa.true())
    ).all()
    for company_id, email in locked:
        if (company_id, email.rpartition('@')[2].lower()) not in proven:
            connection.execute(
                sa.update(company).where(company.c.id == company_id).values(password_sign_in_enabled=True)
            )


def downgrade() -> None:
    with op.batch_alter_table('sso_domain', schema=None) as batch_op:
        batch_op.drop_column('proven_at')
        batch_op.drop_column('proof')

    with op.batch_alter_table('sso_domain_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sso_domain_claim_company_id'))

    op.drop_table('sso_domain_claim')
