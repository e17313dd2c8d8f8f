"""The punchout pages through Reflex's real event pipeline: an agent with ``seller.settings``
creates a connection and sees its secret once; an agent with ``seller.view`` only, or a
customer's cookie, is refused (nothing created, no secret sent); the main contact sees the
company's connections, another company's main contact sees none of them."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.auth.tokens import token_hash
from customer_center.domain.staff import StaffPermission
from customer_center.models.punchout import PunchoutConnection
from customer_center.models.user import User
from customer_center.state.punchout_admin import CompanyPunchoutState, SellerPunchoutState
from tests.factories import make_company, signed_in_cookie
from tests.staff_factories import make_staff, staff_cookie
from tests.state.test_seller_forged_events import _sent, dispatch

pytestmark = pytest.mark.usefixtures("db")
FORM = {
    "name": "Ariba of Acme",
    "protocol": "cxml",
    "identity_domain": "NetworkID",
    "identity": "AN0100",
    "default_role": "buyer",
    "role_field": "CostCenter",
    "role_mapping": "4711 = approver",
    "user_field": "",
    "origins": "https://s1.ariba.com",
}


class World:
    def __init__(self, session: Session) -> None:
        acme = make_company(session, "C-1", "Acme GmbH")
        other = make_company(session, "C-2", "Other AG")
        self.company_id = acme.company_id
        clerk = make_staff(
            session, "carl@seller.example", [StaffPermission.VIEW, StaffPermission.SETTINGS]
        )
        viewer = make_staff(session, "vic@seller.example", [StaffPermission.VIEW])
        self.clerk = f"{STAFF_COOKIE}={staff_cookie(session, clerk)}"
        self.viewer = f"{STAFF_COOKIE}={staff_cookie(session, viewer)}"
        main = session.get(User, acme.user_id)
        stranger = session.get(User, other.user_id)
        self.main = f"{SESSION_COOKIE}={signed_in_cookie(session, main)}"  # type: ignore[arg-type]
        self.stranger = f"{SESSION_COOKIE}={signed_in_cookie(session, stranger)}"  # type: ignore[arg-type]


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _create(world: World, token: str, cookie: str):  # type: ignore[no-untyped-def]
    name = f"{SellerPunchoutState.get_full_name()}.create"
    return dispatch(token, cookie, name, {"form": FORM}, {"company_id": str(world.company_id)})


async def test_the_secret_is_shown_once_to_staff_with_settings(world, session) -> None:
    state = await _create(world, "clerk", world.clerk)
    assert state.errors == {}
    row = session.exec(select(PunchoutConnection)).one()
    assert row.secret_hash == token_hash(state.new_secret)
    assert state.new_secret_for == "Ariba of Acme"
    assert [c["identity"] for c in state.connections] == ["NetworkID: AN0100"]


@pytest.mark.parametrize("who", ["viewer", "main", "stranger"])
async def test_others_cannot_create_connections(world, session, who) -> None:
    state = await _create(world, who, getattr(world, who))
    assert session.exec(select(PunchoutConnection)).all() == []
    assert state.new_secret == ""
    assert "AN0100" not in repr(_sent.updates.pop(who, []))


async def test_the_main_contact_sees_the_own_connections_only(world, session) -> None:
    await _create(world, "clerk", world.clerk)
    name = f"{CompanyPunchoutState.get_full_name()}.load"
    own = await dispatch("main", world.main, name, {}, {})
    assert [c["name"] for c in own.connections] == ["Ariba of Acme"]
    other = await dispatch("stranger", world.stranger, name, {}, {})
    assert other.connections == []
    assert "Ariba of Acme" not in repr(_sent.updates.pop("stranger", []))
