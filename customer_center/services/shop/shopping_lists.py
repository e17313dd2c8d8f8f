"""Shopping lists (requisition lists): create, share, delete, and the page of lists one sees.

Who sees a list: its owner; every user of the company when it is shared with the company;
the holders of a role when it is shared with that role. Only the owner changes a list (its
lines: :mod:`customer_center.services.shop.shopping_list_lines`). Lists are a buying tool:
every use needs ``orders.create``; sharing a list with others needs ``lists.share``. Ids from
the client are parsed and looked up in the principal's company only; a list one may not see
is "not found". The page of lists is counted and cut in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, delete, select

from customer_center.domain import inputs
from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.domain.shopping_lists import (
    Sharing,
    SharingChoice,
    clean_name,
    parse_sharing,
)
from customer_center.models.base import utcnow
from customer_center.models.shopping_list import ShoppingList, ShoppingListLine
from customer_center.models.user import Role, User, UserRole

PAGE_SIZE = 20
MAX_PAGE = 100_000
MAX_OWN_LISTS = 200  # per user; the pickers offer them all
NOT_FOUND = "lists.error.not_found"


@dataclass(frozen=True)
class ListSummary:
    id: int
    name: str
    owner: str
    is_own: bool
    sharing: Sharing
    role_name: str
    line_count: int
    updated_at: datetime


@dataclass(frozen=True)
class ListsPage:
    lists: list[ListSummary]
    total: int
    page: int
    page_count: int
    can_share: bool
    roles: list[tuple[int, str]]  # the company's roles a list can be shared with


def _my_roles(principal: CustomerUser) -> Any:
    return select(UserRole.role_id).where(UserRole.user_id == principal.user_id)


def visible_clause(principal: CustomerUser) -> Any:
    """The lists ``principal`` sees: own, shared with the company, shared with a role held."""
    return and_(
        col(ShoppingList.company_id) == principal.company_id,
        or_(
            col(ShoppingList.owner_id) == principal.user_id,
            col(ShoppingList.shared_with) == Sharing.COMPANY.value,
            and_(
                col(ShoppingList.shared_with) == Sharing.ROLE.value,
                col(ShoppingList.role_id).in_(_my_roles(principal)),
            ),
        ),
    )


def visible_list(session: Session, principal: CustomerUser, *, list_id: object) -> ShoppingList:
    """The list by an id the client sent, if the principal sees it; else "not found"."""
    principal.require(Permission.ORDERS_CREATE)
    ident = inputs.parse_id(list_id) if isinstance(list_id, str) else None
    if isinstance(list_id, int) and not isinstance(list_id, bool):
        ident = list_id if 0 < list_id <= inputs.MAX_ID else None
    row = (
        session.exec(
            select(ShoppingList).where(ShoppingList.id == ident, visible_clause(principal))
        ).first()
        if ident is not None
        else None
    )
    if row is None:
        raise ServiceError(NOT_FOUND)
    return row


def own_list(session: Session, principal: CustomerUser, *, list_id: object) -> ShoppingList:
    """A list the principal may change: their own (a colleague's shared one is read-only)."""
    row = visible_list(session, principal, list_id=list_id)
    if row.owner_id != principal.user_id:
        raise ServiceError("lists.error.not_owner")
    return row


def touch(row: ShoppingList, principal: CustomerUser) -> None:
    """Record who changed the list last (an agent acting for its owner, say)."""
    by = principal.attribution
    row.changed_by_kind, row.changed_by_ref = by.actor_kind, by.actor_id
    row.updated_at = utcnow()


def company_roles(session: Session, principal: CustomerUser) -> list[tuple[int, str]]:
    rows = session.exec(
        select(Role.id, Role.name)
        .where(Role.company_id == principal.company_id)
        .order_by(col(Role.name))
    )
    return [(int(rid or 0), name) for rid, name in rows]


def _checked_sharing(session: Session, principal: CustomerUser, value: object) -> SharingChoice:
    choice = inputs.require(parse_sharing(value), "sharing", "lists.error.sharing")
    if choice.sharing is Sharing.PRIVATE:
        return choice
    principal.require(Permission.LISTS_SHARE)
    if choice.sharing is Sharing.ROLE:
        role = session.get(Role, choice.role_id)
        if role is None or role.company_id != principal.company_id:
            inputs.require(None, "sharing", "lists.error.sharing")
    return choice


def lists_page(session: Session, principal: CustomerUser, *, page: object = 0) -> ListsPage:
    """One page of the lists the principal sees, most recently changed first."""
    principal.require(Permission.ORDERS_CREATE)
    where = visible_clause(principal)
    total = int(session.exec(select(func.count()).select_from(ShoppingList).where(where)).one())
    page_count = max(1, -(-total // PAGE_SIZE))
    number = inputs.parse_whole(page, MAX_PAGE) or 0
    number = min(number, page_count - 1)
    counts = (
        select(ShoppingListLine.list_id, func.count().label("n"))
        .group_by(col(ShoppingListLine.list_id))
        .subquery()
    )
    rows = session.exec(
        select(ShoppingList, User.name, Role.name, counts.c.n)
        .join(User, col(User.id) == ShoppingList.owner_id)
        .outerjoin(Role, col(Role.id) == ShoppingList.role_id)
        .outerjoin(counts, counts.c.list_id == ShoppingList.id)
        .where(where)
        .order_by(col(ShoppingList.updated_at).desc(), col(ShoppingList.id).desc())
        .offset(number * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    can_share = principal.may(Permission.LISTS_SHARE)
    return ListsPage(
        lists=[
            ListSummary(
                id=row.id or 0,
                name=row.name,
                owner=owner,
                is_own=row.owner_id == principal.user_id,
                sharing=Sharing(row.shared_with),
                role_name=role_name or "",
                line_count=int(count or 0),
                updated_at=row.updated_at,
            )
            for row, owner, role_name, count in rows
        ],
        total=total,
        page=number,
        page_count=page_count,
        can_share=can_share,
        roles=company_roles(session, principal) if can_share else [],
    )


def own_lists(session: Session, principal: CustomerUser) -> list[tuple[int, str]]:
    """The principal's own lists (id, name) by name: what "add to a list" offers."""
    principal.require(Permission.ORDERS_CREATE)
    rows = session.exec(
        select(ShoppingList.id, ShoppingList.name)
        .where(
            ShoppingList.company_id == principal.company_id,
            ShoppingList.owner_id == principal.user_id,
        )
        .order_by(col(ShoppingList.name), col(ShoppingList.id))
        .limit(MAX_OWN_LISTS)
    )
    return [(int(rid or 0), name) for rid, name in rows]


def create_list(
    session: Session, principal: CustomerUser, *, name: object, sharing: object = "private"
) -> int:
    """A new list of the principal's; shared at once if asked (and allowed)."""
    principal.require(Permission.ORDERS_CREATE)
    title = inputs.require(clean_name(name) or None, "name", "lists.error.name")
    choice = _checked_sharing(session, principal, sharing)
    count = session.exec(
        select(func.count())
        .select_from(ShoppingList)
        .where(
            ShoppingList.company_id == principal.company_id,
            ShoppingList.owner_id == principal.user_id,
        )
    ).one()
    if int(count) >= MAX_OWN_LISTS:
        raise ServiceError("lists.error.too_many", "name", max=MAX_OWN_LISTS)
    row = ShoppingList(
        company_id=principal.company_id,
        owner_id=principal.user_id,
        name=title,
        shared_with=choice.sharing.value,
        role_id=choice.role_id,
    )
    touch(row, principal)
    session.add(row)
    session.flush()
    return row.id or 0


def change_sharing(
    session: Session, principal: CustomerUser, *, list_id: object, sharing: object
) -> None:
    """Share the owner's list with the company or a role, or make it private again (making
    it private needs no right to share)."""
    row = own_list(session, principal, list_id=list_id)
    choice = _checked_sharing(session, principal, sharing)
    row.shared_with, row.role_id = choice.sharing.value, choice.role_id
    touch(row, principal)
    session.add(row)


def delete_list(session: Session, principal: CustomerUser, *, list_id: object) -> None:
    row = own_list(session, principal, list_id=list_id)
    session.exec(delete(ShoppingListLine).where(col(ShoppingListLine.list_id) == row.id))
    session.delete(row)
