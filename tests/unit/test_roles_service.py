"""Roles: the list in one grouped query, custom roles with their rules, built-in protection,
deletion with users moved or refused for a chain, company scoping, audit, the manager check."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from customer_center.auth.principals import rights_of
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.permissions import BUILTIN_ROLE_ORDER, BUILTIN_ROLES, Permission
from customer_center.models.approval import ApprovalChain
from customer_center.models.audit import AuditEntry
from customer_center.models.budget import BudgetRule
from customer_center.models.user import Role, RolePermission, UserRole
from customer_center.presenters.people import builtin_role_names, worded_params
from customer_center.services.people import roles
from tests.factories import actor_for, make_company, make_user, role_id
from tests.unit.test_permissions import counted_queries

# The built-in roles' names in every language, as the roles page hands them to the service.
NAMES = builtin_role_names


@pytest.fixture
def main(session):  # type: ignore[no-untyped-def]
    return make_company(session)


def _hold(session: Session, user_id: int, *role_ids: int) -> None:
    session.add_all(UserRole(user_id=user_id, role_id=r) for r in role_ids)
    session.commit()


def _held(session: Session, user_id: int) -> set[int]:
    return set(session.exec(select(UserRole.role_id).where(UserRole.user_id == user_id)))


def _audit(session: Session, action: str) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)))


def _chain(session: Session, company_id: int, scope: str, subject: int, role: int) -> None:
    session.add(
        ApprovalChain(
            company_id=company_id,
            scope=scope,
            subject_id=subject,
            levels=[
                {"rule": "any", "approvers": [{"user_id": 1}]},
                {"rule": "all", "approvers": [{"role_id": role}]},
            ],
        )
    )
    session.commit()


# --- list ---------------------------------------------------------------------------------


def test_the_list_shows_builtins_in_order_then_custom_roles_by_name(session, main) -> None:
    make_user(session, main.company_id, "b1@acme.example", ["buyer"])
    make_user(session, main.company_id, "b2@acme.example", ["buyer", "approver"])
    later = roles.create_role(
        session, main, name="zeta team", permissions=["orders.create"], builtin_names=NAMES
    )
    first = roles.create_role(
        session,
        main,
        name="Alpha team",
        permissions=["reports.view", "audit.view"],
        builtin_names=NAMES,
    )
    session.commit()
    listed = roles.list_roles(session, main)
    assert [v.code for v in listed[:5]] == list(BUILTIN_ROLE_ORDER)
    assert [v.id for v in listed[5:]] == [first, later]
    by_code = {v.code: v for v in listed}
    assert by_code["buyer"].user_count == 2 and by_code["approver"].user_count == 1
    assert by_code[MAIN := "main_contact"].user_count == 1 and by_code[MAIN].is_builtin
    assert by_code["controller"].permissions == BUILTIN_ROLES["controller"]
    assert by_code[f"custom-{first}"].permissions == {"reports.view", "audit.view"}
    assert by_code[f"custom-{first}"].user_count == 0


def test_the_list_costs_the_same_queries_for_many_roles(session, main) -> None:
    session.expire_all()
    with counted_queries(session) as few:
        roles.list_roles(session, main)
    for n in range(6):
        custom = roles.create_role(
            session, main, name=f"Team {n}", permissions=["orders.create"], builtin_names=NAMES
        )
        _hold(session, make_user(session, main.company_id, f"u{n}@acme.example", []).id, custom)
    session.expire_all()
    with counted_queries(session) as many:
        listed = roles.list_roles(session, main)
    assert len(listed) == 11 and len(many) == len(few) <= 2


def test_the_list_holds_only_the_actors_company(session, main) -> None:
    other = make_company(session, "C-2", "Other AG")
    roles.create_role(
        session, other, name="Theirs", permissions=["orders.create"], builtin_names=NAMES
    )
    session.commit()
    listed = roles.list_roles(session, main)
    assert "Theirs" not in {v.name for v in listed} and len(listed) == 5
    assert sum(v.user_count for v in listed) == 1


# --- create, rename, rights ---------------------------------------------------------------


def test_a_created_role_gets_a_code_its_rights_and_an_audit_entry(session, main) -> None:
    created = roles.create_role(
        session,
        main,
        name="  Night   shift ",
        permissions=["orders.create", "audit.view"],
        builtin_names=NAMES,
    )
    session.commit()
    role = session.get(Role, created)
    assert (role.code, role.name, role.is_builtin) == (f"custom-{created}", "Night shift", False)
    stored = select(RolePermission.permission).where(RolePermission.role_id == created)
    assert set(session.exec(stored)) == {"orders.create", "audit.view"}
    [entry] = _audit(session, "role.created")
    assert entry.target_id == str(created) and entry.actor_user_id == main.user_id
    assert entry.after == {"name": "Night shift", "permissions": ["audit.view", "orders.create"]}


@pytest.mark.parametrize(
    ("name", "rights", "field", "code"),
    [
        ("", ["orders.create"], "name", "form.required"),
        ("   ", ["orders.create"], "name", "form.required"),
        ("x" * 101, ["orders.create"], "name", "form.too_long"),
        ("FINANCE", ["orders.create"], "name", "roles.error.name_taken"),
        ("Buyer", ["orders.create"], "name", "roles.error.name_taken"),
        ("einkäufer", ["orders.create"], "name", "roles.error.name_taken"),
        ("Main contact", ["orders.create"], "name", "roles.error.name_taken"),
        ("New", [], "permissions", "roles.error.no_permission"),
        ("New", ["root.everything"], "permissions", "roles.error.unknown_permission"),
    ],
)
def test_bad_roles_are_explained_next_to_the_field(session, main, name, rights, field, code):  # type: ignore[no-untyped-def]
    roles.create_role(
        session, main, name="Finance", permissions=["reports.view"], builtin_names=NAMES
    )
    session.commit()
    with pytest.raises(ValidationFailed) as failure:
        roles.create_role(session, main, name=name, permissions=rights, builtin_names=NAMES)
    assert failure.value.errors[field][0] == code
    session.rollback()
    assert len(roles.list_roles(session, main)) == 6


def test_name_and_rights_are_both_explained_at_once(session, main) -> None:
    with pytest.raises(ValidationFailed) as failure:
        roles.create_role(session, main, name="", permissions=[], builtin_names=NAMES)
    assert set(failure.value.errors) == {"name", "permissions"}


def test_a_name_of_100_characters_and_another_companys_name_are_fine(session, main) -> None:
    other = make_company(session, "C-2", "Other AG")
    roles.create_role(
        session, other, name="Finance", permissions=["orders.create"], builtin_names=NAMES
    )
    assert roles.create_role(
        session, main, name="Finance", permissions=["orders.create"], builtin_names=NAMES
    )
    assert roles.create_role(
        session, main, name="y" * 100, permissions=["orders.create"], builtin_names=NAMES
    )


def test_rename_and_rights_are_audited_with_what_changed(session, main) -> None:
    custom = roles.create_role(
        session, main, name="Finance", permissions=["reports.view"], builtin_names=NAMES
    )
    roles.rename_role(session, main, role_id=custom, name="Accounting", builtin_names=NAMES)
    roles.set_role_permissions(
        session, main, role_id=custom, permissions=["reports.view", "budgets.manage"]
    )
    roles.rename_role(
        session, main, role_id=custom, name="accounting ", builtin_names=NAMES
    )  # another name: its own case
    roles.rename_role(
        session, main, role_id=custom, name="accounting", builtin_names=NAMES
    )  # unchanged: nothing to record
    session.commit()
    assert session.get(Role, custom).name == "accounting"
    changes = [(e.before, e.after) for e in _audit(session, "role.changed")]
    assert changes == [
        ({"name": "Finance"}, {"name": "Accounting"}),
        (
            {"permissions": ["reports.view"]},
            {"permissions": ["budgets.manage", "reports.view"]},
        ),
        ({"name": "Accounting"}, {"name": "accounting"}),
    ]


def test_a_role_keeps_its_own_name_when_its_rights_change(session, main) -> None:
    custom = roles.create_role(
        session, main, name="Finance", permissions=["reports.view"], builtin_names=NAMES
    )
    roles.update_role(
        session,
        main,
        role_id=custom,
        name="Finance",
        permissions=["audit.view"],
        builtin_names=NAMES,
    )
    session.commit()
    [entry] = _audit(session, "role.changed")
    assert entry.before == {"permissions": ["reports.view"]}


def test_new_rights_apply_to_holders_at_once(session, main) -> None:
    custom = roles.create_role(
        session, main, name="Finance", permissions=["reports.view"], builtin_names=NAMES
    )
    user = make_user(session, main.company_id, "f@acme.example", [])
    _hold(session, user.id, custom)
    roles.set_role_permissions(session, main, role_id=custom, permissions=["budgets.manage"])
    session.commit()
    assert rights_of(session, user.id, main.company_id) == {"budgets.manage"}


def test_builtins_cannot_be_renamed_edited_or_deleted(session, main) -> None:
    for code in BUILTIN_ROLES:
        builtin = role_id(session, main.company_id, code)
        for call in (
            lambda: roles.rename_role(
                session, main, role_id=builtin, name="Shopper", builtin_names=NAMES
            ),
            lambda: roles.set_role_permissions(
                session, main, role_id=builtin, permissions=["orders.create"]
            ),
            lambda: roles.update_role(
                session,
                main,
                role_id=builtin,
                name="Shopper",
                permissions=["orders.create"],
                builtin_names=NAMES,
            ),
            lambda: roles.delete_role(session, main, role_id=builtin),
        ):
            with pytest.raises(ServiceError) as refused:
                call()
            assert refused.value.code == "roles.error.builtin"
    session.rollback()
    assert len(roles.list_roles(session, main)) == 5 and _audit(session, "role.changed") == []


def test_a_role_manager_grants_and_takes_only_rights_they_hold(session, main) -> None:
    managers = roles.create_role(
        session,
        main,
        name="Role admins",
        permissions=["roles.manage", "reports.view"],
        builtin_names=NAMES,
    )
    taker = make_user(session, main.company_id, "ra@acme.example", ["buyer"])
    _hold(session, taker.id, managers)
    admin = actor_for(session, taker)
    team = roles.create_role(
        session,
        admin,
        name="Team",
        permissions=["orders.create", "reports.view"],
        builtin_names=NAMES,
    )
    with pytest.raises(ValidationFailed) as granted:
        roles.set_role_permissions(
            session, admin, role_id=team, permissions=["orders.create", "company.manage"]
        )
    assert granted.value.errors["permissions"][0] == "roles.error.right_not_held"
    with pytest.raises(ValidationFailed):
        roles.set_role_permissions(
            session, admin, role_id=managers, permissions=[*BUILTIN_ROLES["main_contact"]]
        )
    audit_only = roles.create_role(
        session, main, name="Auditors", permissions=["audit.view"], builtin_names=NAMES
    )
    with pytest.raises(ValidationFailed):  # taking away a right they lack
        roles.set_role_permissions(
            session, admin, role_id=audit_only, permissions=["orders.create"]
        )
    roles.set_role_permissions(
        session, admin, role_id=team, permissions=["reports.view"]
    )  # within their own
    session.commit()
    stored = select(RolePermission.permission).where(RolePermission.role_id == team)
    assert set(session.exec(stored)) == {"reports.view"}


# --- delete -------------------------------------------------------------------------------


def test_an_unused_role_goes_with_its_rights_defaults_and_an_audit_entry(session, main) -> None:
    custom = roles.create_role(
        session, main, name="Temp", permissions=["orders.create"], builtin_names=NAMES
    )
    session.add(BudgetRule(company_id=main.company_id, scope="role", subject_id=custom))
    session.add(BudgetRule(company_id=main.company_id, scope="company", subject_id=0))
    _chain(session, main.company_id, "role", custom, custom)  # its own default: no obstacle
    roles.delete_role(session, main, role_id=custom)
    session.commit()
    assert session.get(Role, custom) is None
    assert list(session.exec(select(RolePermission).where(RolePermission.role_id == custom))) == []
    assert [r.scope for r in session.exec(select(BudgetRule))] == ["company"]
    assert list(session.exec(select(ApprovalChain))) == []
    [entry] = _audit(session, "role.deleted")
    assert entry.before == {
        "name": "Temp",
        "permissions": ["orders.create"],
        "users_moved_to": None,
    }


def test_a_role_in_use_goes_only_with_its_users_moved(session, main) -> None:
    custom = roles.create_role(
        session, main, name="Night shift", permissions=["orders.create"], builtin_names=NAMES
    )
    buyer = role_id(session, main.company_id, "buyer")
    moved = make_user(session, main.company_id, "n@acme.example", [])
    both = make_user(session, main.company_id, "b@acme.example", ["buyer"])
    _hold(session, moved.id, custom)
    _hold(session, both.id, custom)
    with pytest.raises(ValidationFailed) as failure:
        roles.delete_role(session, main, role_id=custom)
    assert failure.value.errors["move_to"] == ("roles.error.move_users", {"count": 2})
    with pytest.raises(ValidationFailed):
        roles.delete_role(session, main, role_id=custom, move_users_to=custom)
    roles.delete_role(session, main, role_id=custom, move_users_to=buyer)
    session.commit()
    assert session.get(Role, custom) is None
    assert _held(session, moved.id) == {buyer} and _held(session, both.id) == {buyer}
    [entry] = _audit(session, "role.deleted")
    assert entry.before["users_moved_to"] == buyer


@pytest.mark.parametrize("target", ["main_contact", "other_company", "missing"])
def test_users_move_only_to_another_role_of_the_company(session, main, target) -> None:
    custom = roles.create_role(
        session, main, name="Night shift", permissions=["orders.create"], builtin_names=NAMES
    )
    user = make_user(session, main.company_id, "n@acme.example", [])
    _hold(session, user.id, custom)
    other = make_company(session, "C-2", "Other AG")
    to = {
        "main_contact": role_id(session, main.company_id, "main_contact"),
        "other_company": role_id(session, other.company_id, "buyer"),
        "missing": 999_999,
    }[target]
    with pytest.raises(ServiceError) as refused:
        roles.delete_role(session, main, role_id=custom, move_users_to=to)
    assert refused.value.field == "move_to"
    expected = "roles.error.move_to_main_contact" if target == "main_contact" else "admin.not_found"
    assert refused.value.code == expected
    session.rollback()
    assert _held(session, user.id) == {custom}


@pytest.mark.parametrize(
    ("scope", "named"),
    [
        ("company", "the company's default chain"),
        ("user", "the chain of Ben"),
        ("role", "the default chain of the role Buyer"),
    ],
)
def test_a_role_in_an_approver_chain_stays_and_the_chain_is_named(session, main, scope, named):  # type: ignore[no-untyped-def]
    custom = roles.create_role(
        session, main, name="Finance", permissions=["approvals.decide"], builtin_names=NAMES
    )
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"], name="Ben")
    subject = {"company": 0, "user": ben.id, "role": role_id(session, main.company_id, "buyer")}
    _chain(session, main.company_id, scope, subject[scope], custom)
    with pytest.raises(ServiceError) as refused:
        roles.delete_role(session, main, role_id=custom)
    assert refused.value.code == "roles.error.used_in_chain"
    assert worded_params(refused.value.params, "en") == {"chains": named}
    session.rollback()
    assert session.get(Role, custom) is not None


def test_another_companys_chain_does_not_hold_a_role(session, main) -> None:
    custom = roles.create_role(
        session, main, name="Finance", permissions=["approvals.decide"], builtin_names=NAMES
    )
    other = make_company(session, "C-2", "Other AG")
    _chain(session, other.company_id, "company", 0, custom)
    roles.delete_role(session, main, role_id=custom)
    session.commit()
    assert session.get(Role, custom) is None
    [kept] = session.exec(select(ApprovalChain)).all()
    assert (kept.company_id, kept.scope) == (other.company_id, "company")
    assert kept.levels[1]["approvers"] == [{"role_id": custom}]  # theirs, left as it was
    [entry] = _audit(session, "role.deleted")
    assert entry.company_id == main.company_id and entry.target_id == str(custom)


# --- scoping and the right ----------------------------------------------------------------


def test_roles_of_another_company_are_not_found(session, main) -> None:
    other = make_company(session, "C-2", "Other AG")
    foreign = roles.create_role(
        session, other, name="Theirs", permissions=["orders.create"], builtin_names=NAMES
    )
    session.commit()
    for call in (
        lambda: roles.rename_role(session, main, role_id=foreign, name="Mine", builtin_names=NAMES),
        lambda: roles.set_role_permissions(
            session, main, role_id=foreign, permissions=["audit.view"]
        ),
        lambda: roles.update_role(
            session,
            main,
            role_id=foreign,
            name="Mine",
            permissions=["orders.create"],
            builtin_names=NAMES,
        ),
        lambda: roles.delete_role(session, main, role_id=foreign),
        lambda: roles.delete_role(session, main, role_id=True),  # type: ignore[arg-type]
        lambda: roles.rename_role(session, main, role_id="1", name="Mine", builtin_names=NAMES),  # type: ignore[arg-type]
    ):
        with pytest.raises(ServiceError) as failure:
            call()
        assert failure.value.code == "admin.not_found"
    session.rollback()
    assert session.get(Role, foreign).name == "Theirs"
    assert _audit(session, "role.changed") == [] and _audit(session, "role.deleted") == []


def test_every_change_needs_roles_manage(session, main) -> None:
    custom = roles.create_role(
        session, main, name="Finance", permissions=["reports.view"], builtin_names=NAMES
    )
    session.commit()
    clerk = actor_for(session, make_user(session, main.company_id, "c@acme.example", ["approver"]))
    assert Permission.ROLES_MANAGE not in rights_of(session, clerk.user_id, clerk.company_id)
    for call in (
        lambda: roles.create_role(
            session, clerk, name="Mine", permissions=["orders.create"], builtin_names=NAMES
        ),
        lambda: roles.rename_role(session, clerk, role_id=custom, name="Mine", builtin_names=NAMES),
        lambda: roles.set_role_permissions(
            session, clerk, role_id=custom, permissions=["audit.view"]
        ),
        lambda: roles.delete_role(session, clerk, role_id=custom),
    ):
        with pytest.raises(ServiceError) as failure:
            call()
        assert failure.value.code == "error.permission_denied"
    session.rollback()
    assert session.get(Role, custom).name == "Finance"
