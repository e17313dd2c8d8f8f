"""The one permission check of every principal: ``require`` refuses, ``may`` branches."""

from __future__ import annotations

import pytest

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser, ScimClient

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
