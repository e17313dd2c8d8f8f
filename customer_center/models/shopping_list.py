"""Shopping lists (requisition lists): named lists of SKUs and quantities per user, optionally
shared with the whole company or with the holders of one role.

A list belongs to its owner, who alone changes it; a shared list is read and put into the
cart by the colleagues it is shared with. Who changed it last (an agent acting for the owner,
say) is recorded on the list.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from customer_center.domain.principals import PrincipalKind
from customer_center.models.base import utcnow


class ShoppingList(SQLModel, table=True):
    __tablename__ = "shopping_list"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    owner_id: int = Field(foreign_key="user_account.id", index=True)
    name: str = Field(max_length=100)
    shared_with: str = Field(default="", max_length=8)  # "" | company | role
    role_id: int | None = Field(default=None, foreign_key="role.id")  # when shared_with=role
    changed_by_kind: str = Field(default=PrincipalKind.CUSTOMER_USER, max_length=32)
    changed_by_ref: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ShoppingListLine(SQLModel, table=True):
    __tablename__ = "shopping_list_line"
    __table_args__ = (UniqueConstraint("list_id", "sku"),)

    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(foreign_key="shopping_list.id", index=True)
    sku: str = Field(max_length=64)
    quantity: int
    added_at: datetime = Field(default_factory=utcnow)
