"""The one permission check of every principal: ``require`` refuses, ``may`` branches."""

from __future__ import annotations

import pytest

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import ALL_PERMISSIONS, Permission
from customer_center.domain.principals import (
    CustomerUser,
    PrincipalKind,
    ScimClient,
    SellerAgent,
    acting_for,
)
from customer_center.domain.staff import NEVER_WHILE_ACTING, StaffPermission

ALL_CUSTOMER_RIGHTS = frozenset(p.value for p in ALL_PERMISSIONS)

BUYER = CustomerUser(user_id=1, company_id=7, rights=frozenset({Permission.ORDERS_CREATE}))
SCIM = ScimClient(token_id=3, company_id=7, label="IdP")


def test_may_holds_one_of_the_rights() -> None:
    assert BUYER.may(Permission.ORDERS_CREATE)
    assert not BUYER.may(Permission.USERS_MANAGE)
    assert BUYER.may(Permission.USERS_MANAGE, Permission.ORDERS_CREATE)
    assert SCIM.may(Permission.USERS_MANAGE) and SCIM.may(Permission.ROLES_MANAGE)
    assert not SCIM.may(Permission.ORDERS_CREATE)


def test_require_refuses_with_the_permission_code_or_the_given_refusal() -> None:
    BUYER.require(Permission.ORDERS_CREATE)
    BUYER.require(Permission.REPORTS_VIEW, Permission.ORDERS_CREATE)
    SCIM.require(Permission.USERS_MANAGE)
    with pytest.raises(ServiceError) as refused:
        BUYER.require(Permission.USERS_MANAGE)
    assert refused.value.code == "error.permission_denied"
    with pytest.raises(ServiceError) as hidden:
        SCIM.require(Permission.ORDERS_CREATE, refusal="admin.not_found")
    assert hidden.value.code == "admin.not_found"


def test_may_touch_only_the_own_company() -> None:
    assert BUYER.may_touch(7) and SCIM.may_touch(7)
    assert not BUYER.may_touch(8) and not BUYER.may_touch(None)


def test_an_agent_acting_for_a_user_holds_the_user_s_rights_but_never_the_forbidden_ones() -> None:
    main = CustomerUser(user_id=2, company_id=7, rights=ALL_CUSTOMER_RIGHTS, session_id=5)
    acting = acting_for(main, agent_id=40, acting_session_id=9)
    assert acting.may(Permission.ORDERS_CREATE) and acting.may_touch(7)
    for never in NEVER_WHILE_ACTING:
        assert not acting.may(never), never
    with pytest.raises(ServiceError):
        acting.require(Permission.APPROVALS_DECIDE)
    by = acting.attribution
    assert (by.actor_kind, by.actor_id, by.user_id) == (PrincipalKind.SELLER_AGENT, 40, 2)


def test_a_seller_agent_holds_staff_rights_only() -> None:
    agent = SellerAgent(agent_id=40, rights=frozenset({StaffPermission.VIEW}))
    assert agent.may(StaffPermission.VIEW)
    assert not agent.may(StaffPermission.ACT_ON_BEHALF)
    with pytest.raises(ServiceError):
        agent.require(StaffPermission.MANAGE_STAFF)
    assert agent.attribution.user_id is None and agent.attribution.actor_id == 40
