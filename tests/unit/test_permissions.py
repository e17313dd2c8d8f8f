"""The catalogue of rights and what a user may do: built-in rights from the code, custom
rights as stored, the union over all roles, in at most two queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from customer_center.auth.principals import rights_of
from customer_center.domain.permissions import (
    AREA_OF,
    BUILTIN_ROLE_ORDER,
    BUILTIN_ROLES,
    MAIN_CONTACT_ROLE,
    PERMISSION_AREAS,
    Permission,
    area_label_key,
    builtin_role_description_key,
    builtin_role_name_key,
    permission_description_key,
    permission_label_key,
    rights_by_area,
)
from customer_center.i18n.catalog import LANGUAGES, catalog
from customer_center.models.user import Role, RolePermission, UserRole
from customer_center.services.people.permissions import role_permissions
from tests.factories import make_company, make_user, role_id

AREAS = (
    "orders",
    "approvals",
    "users_roles",
    "budgets_chains",
    "reporting",
    "documents",
    "company",
    "audit",
    "cases",
    "returns",
)


def test_every_right_is_in_exactly_one_area_in_catalogue_order() -> None:
    listed = [p for rights in PERMISSION_AREAS.values() for p in rights]
    assert tuple(PERMISSION_AREAS) == AREAS
    assert len(listed) == len(set(listed)) and set(listed) == set(Permission)
    assert AREA_OF[Permission.CHAINS_MANAGE] == "budgets_chains"
    assert AREA_OF[Permission.AUDIT_VIEW] == "audit"


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_right_area_and_builtin_role_has_its_texts(lang: str) -> None:
    own = catalog(lang)
    keys = [area_label_key(area) for area in AREAS]
    keys += [permission_label_key(p) for p in Permission]
    keys += [permission_description_key(p) for p in Permission]
    keys += [builtin_role_name_key(code) for code in BUILTIN_ROLES]
    keys += [builtin_role_description_key(code) for code in BUILTIN_ROLES]
    missing = [key for key in keys if not own.get(key, "").strip()]
    assert missing == []


def test_the_builtin_roles_bundle_the_rights_the_product_names() -> None:
    assert tuple(sorted(BUILTIN_ROLE_ORDER)) == tuple(sorted(BUILTIN_ROLES))
    assert BUILTIN_ROLE_ORDER[0] == MAIN_CONTACT_ROLE
    assert BUILTIN_ROLES[MAIN_CONTACT_ROLE] == frozenset(Permission)
    assert BUILTIN_ROLES["technician"] == {Permission.DOCUMENTS_VIEW}
    controller = BUILTIN_ROLES["controller"]
    assert {Permission.ORDERS_VIEW_ALL, Permission.REPORTS_VIEW} <= controller
    assert not any(p.value.endswith((".manage", ".create", ".decide")) for p in controller)
    assert Permission.APPROVALS_DECIDE in BUILTIN_ROLES["approver"]
    assert Permission.ORDERS_CREATE in BUILTIN_ROLES["buyer"]


def test_rights_by_area_keeps_the_catalogue_order_and_drops_the_rest() -> None:
    grouped = rights_by_area(["audit.view", "orders.view_own", "orders.create", "root.all"])
    assert grouped == [
        ("orders", (Permission.ORDERS_CREATE, Permission.ORDERS_VIEW_OWN)),
        ("audit", (Permission.AUDIT_VIEW,)),
    ]
    assert rights_by_area([]) == []


# --- rights_of -----------------------------------------------------------------------


@pytest.fixture
def main(session: Session):  # type: ignore[no-untyped-def]
    return make_company(session)


def _custom_role(session: Session, company_id: int, rights: list[str], code: str = "c1") -> int:
    role = Role(company_id=company_id, code=code, name=code.upper())
    session.add(role)
    session.flush()
    session.add_all(RolePermission(role_id=role.id, permission=p) for p in rights)  # type: ignore[arg-type]
    session.commit()
    return role.id  # type: ignore[return-value]


def _give(session: Session, user_id: int, role: int) -> None:
    session.add(UserRole(user_id=user_id, role_id=role))
    session.commit()


@contextmanager
def counted_queries(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind()

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_builtin_rights_come_from_the_code_not_from_stale_rows(session, main) -> None:
    """A company activated before a right existed still gets it; stored extras give nothing."""
    approver = role_id(session, main.company_id, "approver")
    for row in session.exec(select(RolePermission).where(RolePermission.role_id == approver)):
        session.delete(row)
    session.add(RolePermission(role_id=approver, permission="users.manage"))
    main_role = role_id(session, main.company_id, MAIN_CONTACT_ROLE)
    session.add(RolePermission(role_id=main_role, permission="root.everything"))
    for row in session.exec(
        select(RolePermission).where(
            RolePermission.role_id == main_role, RolePermission.permission == "chains.manage"
        )
    ):
        session.delete(row)
    session.commit()
    user = make_user(session, main.company_id, "a@acme.example", ["approver"])
    assert rights_of(session, user.id, main.company_id) == BUILTIN_ROLES["approver"]
    assert rights_of(session, main.user_id, main.company_id) == frozenset(Permission)


def test_custom_rights_are_read_as_stored_and_unknown_codes_are_ignored(session, main) -> None:
    custom = _custom_role(session, main.company_id, ["reports.view", "root.everything"])
    user = make_user(session, main.company_id, "r@acme.example", [])
    _give(session, user.id, custom)
    assert rights_of(session, user.id, main.company_id) == {"reports.view"}
    role = session.get(Role, custom)
    assert role_permissions(session, role) == {"reports.view"}


def test_rights_are_the_union_of_all_roles(session, main) -> None:
    first = _custom_role(session, main.company_id, ["reports.view", "budgets.manage"], "c1")
    second = _custom_role(session, main.company_id, ["budgets.manage", "audit.view"], "c2")
    user = make_user(session, main.company_id, "u@acme.example", ["technician", "buyer"])
    _give(session, user.id, first)
    _give(session, user.id, second)
    assert rights_of(session, user.id, main.company_id) == {
        "documents.view",
        "orders.create",
        "orders.view_own",
        "reports.view",
        "budgets.manage",
        "audit.view",
        "returns.request",
    }


def test_a_user_without_roles_or_of_another_company_may_do_nothing(session, main) -> None:
    nobody = make_user(session, main.company_id, "n@acme.example", [])
    assert rights_of(session, nobody.id, main.company_id) == frozenset()
    other = make_company(session, "C-2", "Other AG")
    assert rights_of(session, main.user_id, other.company_id) == frozenset()
    assert rights_of(session, 987654, main.company_id) == frozenset()


def test_one_query_however_many_roles(session, main) -> None:
    user = make_user(session, main.company_id, "m@acme.example", list(BUILTIN_ROLES))
    for n in range(5):
        _give(session, user.id, _custom_role(session, main.company_id, ["audit.view"], f"c{n}"))
    session.expire_all()
    with counted_queries(session) as statements:
        rights = rights_of(session, user.id, main.company_id)
    assert rights == frozenset(Permission)
    assert len(statements) <= 2
