"""Import every table module so ``SQLModel.metadata`` is complete (Alembic, test setup)."""

from sqlmodel import SQLModel

from customer_center.integrations.erp import tables as erp_tables  # noqa: F401
from customer_center.models import (  # noqa: F401
    approval,
    audit,
    auth,
    budget,
    company,
    dev_mail,
    identity,
    order,
    outbox,
    user,
)

metadata = SQLModel.metadata
