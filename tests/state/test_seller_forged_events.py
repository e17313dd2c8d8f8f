"""The two sides stay apart, through Reflex's real event pipeline: a customer user (even the
main contact, with every customer right) calling any seller handler, and a staff member (with
every staff right) calling any customer handler, is refused: no data changes, nothing of the
other side reaches the caller. Staff without ``seller.manage_staff`` cannot administer staff.
"""

from __future__ import annotations

import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from sqlmodel import Session

import customer_center.customer_center as portal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.domain.staff import StaffPermission
from customer_center.state.middleware import handler_functions
from customer_center.state.seller_staff import SellerStaffState
from tests.factories import signed_in_cookie
from tests.staff_factories import make_staff, staff_cookie
from tests.state.pipeline import SentToBrowsers
from tests.state.test_forged_events import (
    SECRET_TEXTS,
    World,
    _arguments,
    handler_functions_state,
    protected_handlers,
    secrets_in,
    snapshot,
)

pytestmark = pytest.mark.usefixtures("db")

STAFF_SECRETS = ("Sabine Supervisor", "boss@seller.example", "agent@seller.example")
_sent = SentToBrowsers()


async def dispatch(token: str, cookie_header: str, name: str, payload: dict, query: dict):  # type: ignore[no-untyped-def]
    manager = StateManagerMemory()
    processor = BaseStateEventProcessor(middleware=portal.app)
    router_data = {
        "headers": {"cookie": cookie_header},
        "pathname": "/seller/staff",
        "asPath": "/seller/staff",
        "query": query,
        "ip": "10.9.9.8",
    }
    async with processor.configure(state_manager=manager, event_namespace=_sent):  # type: ignore[arg-type]
        future = await processor.enqueue(
            token, Event(name=name, payload=payload, router_data=router_data)
        )
        await future
    state_cls = handler_functions_state(name)
    root = await manager.get_state(BaseStateToken(ident=token, cls=state_cls))
    return await root.get_state(state_cls)


def _staff_secrets(updates: list[object]) -> set[str]:
    text = repr([(getattr(u, "delta", None), getattr(u, "events", None)) for u in updates])
    return {secret for secret in STAFF_SECRETS if secret in text}


class Sides:
    def __init__(self, session: Session) -> None:
        self.world = World(session)
        self.boss = make_staff(session, "boss@seller.example", name="Sabine Supervisor")
        self.agent = make_staff(session, "agent@seller.example", [StaffPermission.VIEW])
        session.commit()
        self.ids = {**self.world.ids, "staff_id": self.agent.id or 0}


@pytest.fixture
def sides(session: Session) -> Sides:
    return Sides(session)


def _seller_handlers() -> dict:
    return {n: v for n, v in protected_handlers().items() if _is_staff(v[0])}


def _customer_handlers() -> dict:
    return {n: v for n, v in protected_handlers().items() if not _is_staff(v[0])}


def _is_staff(fn) -> bool:  # type: ignore[no-untyped-def]
    from customer_center.state.access import access_of

    access = access_of(fn)
    return access is not None and access.staff


async def _attack(engine, cookie_header: str, name: str, fn, ids: dict, step: str) -> list:  # type: ignore[no-untyped-def]
    before = snapshot(engine, None)
    load = f"{name.rpartition('.')[0]}.load"
    query = {key: str(value) for key, value in ids.items()}
    if load in handler_functions() and load != name:
        await dispatch(step, cookie_header, load, {}, query)
    await dispatch(step, cookie_header, name, _arguments(fn, ids), query)
    assert snapshot(engine, None) == before, f"{name} changed data ({step})"
    return _sent.updates.pop(step, [])


async def test_a_customer_user_calls_every_seller_handler_in_vain(sides: Sides, engine) -> None:
    handlers = _seller_handlers()
    assert len(handlers) >= 10
    with Session(engine, expire_on_commit=False) as session:
        main = session.get(type(sides.world.victim), sides.world.main_a.user_id)
        raw = signed_in_cookie(session, main)
    # The customer's own cookie, and the same value slipped into the staff cookie's name.
    headers = (f"{SESSION_COOKIE}={raw}", f"{STAFF_COOKIE}={raw}")
    for number, (name, (fn, _right)) in enumerate(sorted(handlers.items())):
        for variant, header in enumerate(headers):
            updates = await _attack(engine, header, name, fn, sides.ids, f"c-{number}-{variant}")
            assert not _staff_secrets(updates), name


async def test_a_staff_member_calls_every_customer_handler_in_vain(sides: Sides, engine) -> None:
    handlers = _customer_handlers()
    assert len(handlers) >= 15
    with Session(engine, expire_on_commit=False) as session:
        raw = staff_cookie(session, sides.boss)
    headers = (f"{STAFF_COOKIE}={raw}", f"{SESSION_COOKIE}={raw}")
    for number, (name, (fn, _right)) in enumerate(sorted(handlers.items())):
        for variant, header in enumerate(headers):
            updates = await _attack(engine, header, name, fn, sides.ids, f"s-{number}-{variant}")
            leaked = secrets_in(updates)
            assert not leaked, f"{name} sent company A's data to a staff member: {leaked}"


async def test_an_agent_without_manage_staff_cannot_administer_staff(sides: Sides, engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        raw = staff_cookie(session, sides.agent)
    manage = {
        name: value
        for name, value in _seller_handlers().items()
        if value[1] == StaffPermission.MANAGE_STAFF
    }
    assert len(manage) >= 8
    for number, (name, (fn, _right)) in enumerate(sorted(manage.items())):
        updates = await _attack(engine, f"{STAFF_COOKIE}={raw}", name, fn, sides.ids, f"a-{number}")
        assert "Sabine Supervisor" not in _staff_secrets(updates), name


async def test_the_pipeline_lets_a_supervisor_through(sides: Sides, engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        raw = staff_cookie(session, sides.boss)
    name = f"{SellerStaffState.get_full_name()}.load"
    state = await dispatch("boss", f"{STAFF_COOKIE}={raw}", name, {}, {})
    assert [row["email"] for row in state.rows] == ["agent@seller.example", "boss@seller.example"]
    assert _staff_secrets(_sent.updates.pop("boss")) >= {"Sabine Supervisor"}
    assert SECRET_TEXTS  # the customer side's secrets are the shared world's


async def test_the_customers_dashboard_shows_its_account_team(sides: Sides, engine) -> None:
    """Through the pipeline as the customer's main contact: the team, key account manager
    first, with roles in the reader's words and mail links; another company sees none."""
    from customer_center.domain.staff import TeamRole
    from customer_center.services.seller.teams import set_account_team
    from customer_center.state.dashboard import DashboardState
    from tests.staff_factories import agent_for

    with Session(engine, expire_on_commit=False) as session:
        boss = agent_for(session, sides.boss)
        set_account_team(
            session,
            boss,
            company_id=sides.world.main_a.company_id,
            members={sides.agent.id: TeamRole.AGENT, sides.boss.id: TeamRole.KEY_ACCOUNT_MANAGER},
        )
        session.commit()
        main = session.get(type(sides.world.victim), sides.world.main_a.user_id)
        raw = signed_in_cookie(session, main)
        other = signed_in_cookie(session, sides.world.attackers["other_company"])
    name = f"{DashboardState.get_full_name()}.load"
    state = await dispatch("team", f"{SESSION_COOKIE}={raw}", name, {}, {})
    assert state.team == [
        {
            "name": "Sabine Supervisor",
            "role": "Key account manager",
            "role_key": "seller.team_role.key_account_manager",
            "email": "boss@seller.example",
            "mailto": "mailto:boss@seller.example",
        },
        {
            "name": "Agent",
            "role": "Customer care",
            "role_key": "seller.team_role.agent",
            "email": "agent@seller.example",
            "mailto": "mailto:agent@seller.example",
        },
    ]
    assert state.seller_name == "Seller"
    elsewhere = await dispatch("other-team", f"{SESSION_COOKIE}={other}", name, {}, {})
    assert elsewhere.team == []
    _sent.updates.clear()


async def test_the_language_switch_on_a_seller_page_is_the_staff_members(
    sides: Sides, engine
) -> None:
    """Anonymous handlers take the principal of the page's side: on a seller page the staff
    cookie (the member's language is saved), never the customer's session."""
    from customer_center.models.staff import StaffMember
    from customer_center.models.user import User
    from customer_center.state.base import PortalState

    with Session(engine, expire_on_commit=False) as session:
        staff_raw = staff_cookie(session, sides.boss)
        main = session.get(User, sides.world.main_a.user_id)
        customer_raw = signed_in_cookie(session, main)
    name = f"{PortalState.get_full_name()}.set_language"
    both = f"{STAFF_COOKIE}={staff_raw}; {SESSION_COOKIE}={customer_raw}"
    await dispatch("lang-staff", both, name, {"lang": "de"}, {})
    await dispatch("lang-customer", f"{SESSION_COOKIE}={customer_raw}", name, {"lang": "de"}, {})
    with Session(engine) as session:
        assert session.get(StaffMember, sides.boss.id).language == "de"  # type: ignore[union-attr]
        assert session.get(User, sides.world.main_a.user_id).language == "en"  # type: ignore[union-attr]
    _sent.updates.clear()
