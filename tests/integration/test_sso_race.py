"""Two first sign-ins of one new employee at the same moment, on PostgreSQL: both get a
session of the same single new user, neither an error page."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from customer_center.auth.principals import resolve_principal
from customer_center.models.identity import UserIdentity
from customer_center.models.user import User
from customer_center.services.identity.sso_provisioning import complete_login_in_own_transaction
from customer_center.services.identity.sso_sign_in import LoginTransaction
from customer_center.settings import get_settings
from tests.conftest import IS_POSTGRES
from tests.factories import make_company
from tests.sso_factories import configure_sso

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="needs PostgreSQL (CC_TEST_DATABASE_URL)")

ISSUER = "https://login.alpha.example"


@pytest.mark.parametrize("round_", range(3))
def test_two_first_sign_ins_at_once_share_one_new_user(session, engine, round_) -> None:
    alpha = make_company(session, "A-1", "Alpha GmbH")
    configure_sso(session, alpha, groups={"buyer": "purchasing"}, domains="alpha.example")
    session.commit()
    tx = LoginTransaction(alpha.company_id, ISSUER, "portal", "nonce", "verifier", "/orders")
    claims = {"sub": "s-1", "email": "nina@alpha.example", "name": "Nina", "groups": []}
    barrier, cookies, errors = threading.Barrier(2), [], []

    def sign_in() -> None:
        barrier.wait()
        try:
            cookies.append(
                complete_login_in_own_transaction(get_settings(), tx, claims, engine=engine)
            )
        except Exception as error:  # the test reports what went wrong
            errors.append(error)

    threads = [threading.Thread(target=sign_in) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(cookies) == 2
    session.expire_all()
    users = session.exec(select(User).where(User.email == "nina@alpha.example")).all()
    assert len(users) == 1
    assert len(session.exec(select(UserIdentity)).all()) == 1
    for cookie in cookies:
        actor = resolve_principal(session, cookie)
        assert actor is not None and actor.user_id == users[0].id
