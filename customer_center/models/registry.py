"""Import every table module so ``SQLModel.metadata`` is complete (Alembic, test setup)."""

from sqlmodel import SQLModel

from customer_center.integrations.erp import tables as erp_tables  # noqa: F401
from customer_center.models import audit, auth, company, dev_mail, outbox, user  # noqa: F401

metadata = SQLModel.metadata
