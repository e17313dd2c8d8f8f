"""Every table of the portal, so that ``SQLModel.metadata`` is complete (Alembic, test setup,
the CLI): the models' and the embedded ERP's.

It sits above both: models import only the domain, and the embedded ERP's tables belong to
that integration, not to the models.
"""

from sqlmodel import SQLModel

from customer_center.integrations.erp import tables as erp_tables  # noqa: F401
from customer_center.models import (  # noqa: F401
    account,
    acting,
    approval,
    audit,
    auth,
    budget,
    case,
    company,
    dev_mail,
    identity,
    order,
    outbox,
    punchout,
    returns,
    shopping_list,
    staff,
    user,
)

metadata = SQLModel.metadata
