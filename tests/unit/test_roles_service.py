"""Roles: built-ins from the code, custom roles with their rules, company scoping."""

from __future__ import annotations

import pytest
from sqlmodel import select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.permissions import BUILTIN_ROLES, PERMISSION_AREAS, Permission
from customer_center.models.approval import ApprovalChain
from customer_center.models.audit import AuditEntry
from customer_center.models.user import Role, RolePermission, UserRole
from customer_center.services import roles
from customer_center.services.permissions import permissions_of
from tests.factories import make_company, make_user, role_id


@pytest.fixture
def main(session):
    return make_company(session)


def test_the_catalogue_covers_every_right_once() -> None:
    listed = [p for rights in PERMISSION_AREAS.values() for p in rights]
    assert sorted(listed) == sorted(Permission)


def test_builtin_rights_come_from_the_code_even_for_old_rows(session, main) -> None:
    approver = role_id(session, main.company_id, "approver")
    # A company activated before today's rights: its stored rows are stale and ignored.
    for row in session.exec(select(RolePermission).where(RolePermission.role_id == approver)):
        session.delete(row)
    session.commit()
    user = make_user(session, main.company_id, "a@acme.example", ["approver", "technician"])
    assert permissions_of(session, user.id, main.company_id) == BUILTIN_ROLES["approver"]
    assert Permission.CHAINS_MANAGE in permissions_of(session, main.user_id, main.company_id)


def test_rights_are_the_union_of_builtin_and_custom_roles(session, main) -> None:
    custom = roles.create_role(session, main, "Finance", ["reports.view", "budgets.manage"])
    user = make_user(session, main.company_id, "f@acme.example", ["technician"])
    session.add(UserRole(user_id=user.id, role_id=custom))
    session.commit()
    assert permissions_of(session, user.id, main.company_id) == {
        "documents.view",
        "reports.view",
        "budgets.manage",
    }
    other = make_company(session, "C-2", "Other AG")
    assert permissions_of(session, user.id, other.company_id) == frozenset()


def test_the_list_shows_builtins_first_with_user_counts(session, main) -> None:
    make_user(session, main.company_id, "b1@acme.example", ["buyer"])
    make_user(session, main.company_id, "b2@acme.example", ["buyer"])
    roles.create_role(session, main, "Aaa custom", ["orders.create"])
    listed = roles.list_roles(session, main)
    assert [v.code for v in listed[:5]] == list(BUILTIN_ROLES)
    assert listed[5].name == "Aaa custom" and not listed[5].is_builtin
    assert {v.code: v.user_count for v in listed}["buyer"] == 2


@pytest.mark.parametrize(
    ("name", "rights", "field", "code"),
    [
        ("", ["orders.create"], "name", "form.required"),
        ("x" * 101, ["orders.create"], "name", "form.too_long"),
        ("Buyer", ["orders.create"], "name", "roles.error.name_taken"),
        ("Finance", ["orders.create"], "name", "roles.error.name_taken"),
        ("New", [], "permissions", "roles.error.no_permission"),
        ("New", ["root.everything"], "permissions", "roles.error.unknown_permission"),
    ],
)
def test_bad_roles_are_explained(session, main, name, rights, field, code) -> None:
    roles.create_role(session, main, "finance", ["reports.view"])
    with pytest.raises(ValidationFailed) as failure:
        roles.create_role(session, main, name, rights)
    assert failure.value.errors[field][0] == code


def test_builtins_cannot_be_changed_or_deleted(session, main) -> None:
    buyer = role_id(session, main.company_id, "buyer")
    with pytest.raises(ServiceError) as changed:
        roles.update_role(session, main, buyer, "Shopper", ["orders.create"])
    assert changed.value.code == "roles.error.builtin"
    with pytest.raises(ServiceError):
        roles.delete_role(session, main, buyer)


def test_a_role_in_use_goes_only_with_its_users_moved(session, main) -> None:
    custom = roles.create_role(session, main, "Night shift", ["orders.create"])
    user = make_user(session, main.company_id, "n@acme.example", [])
    session.add(UserRole(user_id=user.id, role_id=custom))
    session.commit()
    with pytest.raises(ValidationFailed) as failure:
        roles.delete_role(session, main, custom)
    assert failure.value.errors["move_to"] == ("roles.error.move_users", {"count": 1})
    buyer = role_id(session, main.company_id, "buyer")
    roles.delete_role(session, main, custom, move_users_to=buyer)
    session.commit()
    assert session.get(Role, custom) is None
    held = session.exec(select(UserRole.role_id).where(UserRole.user_id == user.id)).all()
    assert held == [buyer]
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "role.deleted")).one()
    assert entry.before["users_moved_to"] == buyer


def test_a_role_in_an_approver_chain_cannot_be_deleted(session, main) -> None:
    custom = roles.create_role(session, main, "Finance", ["approvals.decide"])
    session.add(
        ApprovalChain(
            company_id=main.company_id,
            scope="company",
            levels=[{"rule": "all", "approvers": [{"role_id": custom}]}],
        )
    )
    session.commit()
    with pytest.raises(ServiceError) as failure:
        roles.delete_role(session, main, custom)
    assert failure.value.code == "roles.error.used_in_chain"


def test_roles_of_another_company_are_not_found(session, main) -> None:
    other = make_company(session, "C-2", "Other AG")
    foreign = roles.create_role(session, other, "Theirs", ["orders.create"])
    session.commit()
    for call in (
        lambda: roles.update_role(session, main, foreign, "Mine", ["orders.create"]),
        lambda: roles.delete_role(session, main, foreign),
    ):
        with pytest.raises(ServiceError) as failure:
            call()
        assert failure.value.code == "admin.not_found"
    session.rollback()
    assert session.get(Role, foreign).name == "Theirs"
