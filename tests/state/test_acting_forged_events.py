"""Acting on a customer's behalf, through Reflex's real event pipeline: an agent acting for
the company's main contact (who holds every customer right) calls every handler an agent never
may while acting (deciding approvals, users, roles, budgets, chains, company settings, and the
user's own account): each is refused centrally, no data changes and nothing is sent back. A
customer user cannot start, extend or end anyone's acting session; an agent cannot act for a
user of another company than the one asked for, nor without the policy allowing it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from customer_center.auth.principals import resolve_acting
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.domain.errors import ServiceError
from customer_center.domain.principals import ActingAgent
from customer_center.domain.staff import NEVER_WHILE_ACTING, ActingPolicy, StaffPermission
from customer_center.models.acting import ActingSession
from customer_center.models.company import Company
from customer_center.models.user import User
from customer_center.services.seller import acting
from customer_center.state.access import access_of
from customer_center.state.acting import ActingBannerState, ActingConsoleState
from tests.factories import signed_in_cookie
from tests.staff_factories import make_staff, staff_cookie
from tests.state.test_forged_events import World, _arguments, snapshot
from tests.state.test_seller_forged_events import _customer_handlers, _sent, dispatch

pytestmark = pytest.mark.usefixtures("db")


class Acting:
    """Company A allows acting always; Eva acts for its main contact."""

    def __init__(self, session: Session) -> None:
        self.world = World(session)
        self.company_id = self.world.main_a.company_id
        company = session.get(Company, self.company_id)
        assert company is not None
        company.acting_policy = ActingPolicy.ALWAYS
        session.add(company)
        self.eva = make_staff(
            session,
            "eva@seller.example",
            [StaffPermission.VIEW, StaffPermission.ACT_ON_BEHALF],
            name="Eva Ernst",
        )
        session.commit()
        self.raw = staff_cookie(session, self.eva)
        from customer_center.auth.principals import resolve_agent

        agent = resolve_agent(session, self.raw)
        assert agent is not None
        self.agent = agent
        self.acting_id = acting.start_acting(
            session, agent, company_id=self.company_id, user_id=self.world.main_a.user_id
        )
        session.commit()
        self.ids = {**self.world.ids, "company_id": self.company_id}


@pytest.fixture
def setup(session: Session) -> Acting:
    return Acting(session)


def _forbidden_while_acting() -> dict:
    found = {}
    for name, (fn, right) in _customer_handlers().items():
        access = access_of(fn)
        if access is not None and (access.own_account or right in NEVER_WHILE_ACTING):
            found[name] = fn
    return found


def _without_acting_rows(rows: dict) -> dict:
    return {table: values for table, values in rows.items() if table != "acting_session"}


def test_the_staff_cookie_resolves_the_user_with_fewer_rights(setup: Acting, session) -> None:
    principal = resolve_acting(session, setup.raw)
    assert isinstance(principal, ActingAgent)
    assert principal.user_id == setup.world.main_a.user_id
    assert principal.company_id == setup.company_id
    assert principal.agent_id == setup.eva.id
    assert not principal.rights & NEVER_WHILE_ACTING
    assert principal.attribution.actor_id == setup.eva.id
    assert principal.attribution.user_id == setup.world.main_a.user_id


async def test_an_acting_agent_calls_every_forbidden_handler_in_vain(setup: Acting, engine) -> None:
    handlers = _forbidden_while_acting()
    names = {name.rsplit(".", 2)[-2] + "." + name.rsplit(".", 1)[-1] for name in handlers}
    # deciding approvals, users, roles, budgets, chains, company settings, own account
    assert len(handlers) >= 40, sorted(names)
    assert any("approval" in n and "decide" in n for n in names), sorted(names)
    assert any("profile_state.save" in n for n in names)
    assert any("handover_state.request" in n for n in names)
    assert any("email_change_state.submit" in n for n in names)
    header = f"{STAFF_COOKIE}={setup.raw}"
    query = {key: str(value) for key, value in setup.ids.items()}
    for number, (name, fn) in enumerate(sorted(handlers.items())):
        before = _without_acting_rows(snapshot(engine, None))
        step = f"acting-{number}"
        await dispatch(step, header, name, _arguments(fn, setup.ids), query)
        assert _without_acting_rows(snapshot(engine, None)) == before, name
        updates = _sent.updates.pop(step, [])
        assert all(not getattr(u, "delta", None) for u in updates), name


async def dispatch_on_dashboard(token: str, cookie_header: str, name: str):  # type: ignore[no-untyped-def]
    """An event of a customer page (``/dashboard``)."""
    from reflex.istate.manager.memory import StateManagerMemory
    from reflex.istate.manager.token import BaseStateToken
    from reflex_base.event import Event
    from reflex_base.event.processor import BaseStateEventProcessor

    import customer_center.customer_center as portal
    from tests.state.test_forged_events import handler_functions_state

    manager = StateManagerMemory()
    processor = BaseStateEventProcessor(middleware=portal.app)
    router_data = {
        "headers": {"cookie": cookie_header},
        "pathname": "/dashboard",
        "asPath": "/dashboard",
        "query": {},
        "ip": "10.9.9.8",
    }
    async with processor.configure(state_manager=manager, event_namespace=_sent):  # type: ignore[arg-type]
        future = await processor.enqueue(
            token, Event(name=name, payload={}, router_data=router_data)
        )
        await future
    state_cls = handler_functions_state(name)
    root = await manager.get_state(BaseStateToken(ident=token, cls=state_cls))
    return await root.get_state(state_cls)


async def test_the_acting_agent_sees_the_users_portal_with_the_banner(
    setup: Acting, engine
) -> None:
    from customer_center.state.session import SessionState

    header = f"{STAFF_COOKIE}={setup.raw}"
    state = await dispatch_on_dashboard("shell", header, f"{SessionState.get_full_name()}.load")
    main = setup.world.main_a
    with Session(engine) as session:
        name = session.get(User, main.user_id).name  # type: ignore[union-attr]
    assert state.user_name == name
    assert "approvals.decide" not in state.permissions
    banner = await state.get_state(ActingBannerState)
    assert banner.acting and banner.company_name == "Alpha GmbH"
    _sent.updates.clear()


async def test_a_customer_user_cannot_start_extend_or_end_acting(setup: Acting, engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        victim = session.get(User, setup.world.victim.id)
        raw = signed_in_cookie(session, victim)
    before = snapshot(engine, None)
    for handler in ("end", "extend"):
        name = f"{ActingBannerState.get_full_name()}.{handler}"
        await dispatch(f"cu-{handler}", f"{SESSION_COOKIE}={raw}", name, {}, {})
    for handler in ("act_as", "request_consent", "load"):
        name = f"{ActingConsoleState.get_full_name()}.{handler}"
        args = {} if handler == "load" else {"user_id": str(setup.world.victim.id)}
        query = {"company_id": str(setup.company_id)}
        for cookie in (SESSION_COOKIE, STAFF_COOKIE):
            await dispatch(f"cu-{handler}-{cookie}", f"{cookie}={raw}", name, args, query)
    assert snapshot(engine, None) == before
    _sent.updates.clear()


def test_an_agent_cannot_act_for_another_companys_user(setup: Acting, session) -> None:
    other = setup.world.attackers["other_company"]
    assert other is not None
    with pytest.raises(ServiceError) as refused:
        acting.start_acting(session, setup.agent, company_id=setup.company_id, user_id=other.id)
    assert refused.value.code == acting.USER_NOT_FOUND
    # The other company's policy is "never".
    with pytest.raises(ServiceError) as never:
        acting.start_acting(session, setup.agent, company_id=other.company_id, user_id=other.id)
    assert never.value.code == acting.NOT_ALLOWED
    rows = session.exec(select(ActingSession)).all()
    assert [row.company_id for row in rows] == [setup.company_id]


def test_only_the_account_team_may_act_when_there_is_one(setup: Acting, session) -> None:
    from customer_center.domain.staff import TeamRole
    from customer_center.services.seller.teams import set_account_team
    from tests.staff_factories import agent_for

    boss = make_staff(session, "boss@seller.example", name="Sabine Supervisor")
    other = make_staff(
        session, "tom@seller.example", [StaffPermission.VIEW, StaffPermission.ACT_ON_BEHALF]
    )
    session.commit()
    set_account_team(
        session,
        agent_for(session, boss),
        company_id=setup.company_id,
        members={other.id: TeamRole.AGENT},
    )
    session.commit()
    with pytest.raises(ServiceError) as refused:
        acting.start_acting(
            session,
            setup.agent,
            company_id=setup.company_id,
            user_id=setup.world.victim.id,
        )
    assert refused.value.code == acting.NOT_IN_TEAM
    # Team members and supervisors may.
    for member in (other, boss):
        acting.start_acting(
            session,
            agent_for(session, member),
            company_id=setup.company_id,
            user_id=setup.world.victim.id,
        )


def test_an_idle_acting_session_resolves_no_principal_and_ends(setup: Acting, session) -> None:
    row = session.get(ActingSession, setup.acting_id)
    assert row is not None
    row.last_activity_at = row.last_activity_at - timedelta(minutes=11)
    session.add(row)
    session.commit()
    assert resolve_acting(session, setup.raw) is None
    assert acting.after_acting(session, setup.agent, idle_minutes=10) == setup.company_id
    session.commit()
    session.refresh(row)
    assert row.ended_at is not None and row.end_reason == "idle"


def test_ending_acting_mails_the_user_a_summary(setup: Acting, session) -> None:
    from customer_center.models.outbox import OutboxMessage
    from customer_center.services import audit
    from customer_center.services.shop.checkout import ORDER_PLACED_FOR_USER

    principal = resolve_acting(session, setup.raw)
    assert isinstance(principal, ActingAgent)
    audit.record(
        session,
        ORDER_PLACED_FOR_USER,
        company_id=setup.company_id,
        by=principal.attribution,
        target_type="order",
        target_id=123,
    )
    assert acting.end_acting(session, principal) == setup.company_id
    session.commit()
    [mail] = session.exec(
        select(OutboxMessage).where(OutboxMessage.dedup_key == f"acting-summary:{setup.acting_id}")
    ).all()
    assert mail.payload["subject"] == "What Seller's customer care did for you"
    assert "Eva Ernst of Seller's customer care acted for you" in mail.payload["text"]
    assert "Orders placed: PO-000123." in mail.payload["text"]
    assert resolve_acting(session, setup.raw) is None


async def test_the_act_page_lists_the_companys_active_users(setup: Acting, engine) -> None:
    header = f"{STAFF_COOKIE}={setup.raw}"
    name = f"{ActingConsoleState.get_full_name()}.load"
    state = await dispatch("act", header, name, {}, {"company_id": str(setup.company_id)})
    assert state.error == ""
    assert state.company_name == "Alpha GmbH"
    assert state.policy == ActingPolicy.ALWAYS
    assert {u["may_start"] for u in state.users} == {"yes"}
    _sent.updates.clear()


async def test_act_as_through_the_pipeline_opens_an_acting_session(setup: Acting, engine) -> None:
    header = f"{STAFF_COOKIE}={setup.raw}"
    query = {"company_id": str(setup.company_id)}
    base = ActingConsoleState.get_full_name()
    await dispatch("act2", header, f"{base}.load", {}, query)
    victim = str(setup.world.victim.id)
    await dispatch("act2", header, f"{base}.act_as", {"user_id": victim}, query)
    with Session(engine) as session:
        rows = session.exec(select(ActingSession).order_by(ActingSession.id)).all()  # type: ignore[arg-type]
    assert [(r.user_id, r.end_reason) for r in rows] == [
        (setup.world.main_a.user_id, "replaced"),
        (setup.world.victim.id, ""),
    ]
    _sent.updates.clear()


async def test_the_dashboard_loads_for_the_acting_agent(setup: Acting, engine) -> None:
    from customer_center.state.dashboard import DashboardState

    header = f"{STAFF_COOKIE}={setup.raw}"
    state = await dispatch_on_dashboard("dash", header, f"{DashboardState.get_full_name()}.load")
    assert state.consent_requests == 0
    _sent.updates.clear()


def test_with_consent_nothing_happens_until_the_user_accepts(setup: Acting, session) -> None:
    from customer_center.models.outbox import OutboxMessage
    from customer_center.services.seller import acting_consent
    from tests.factories import actor_for

    company = session.get(Company, setup.company_id)
    company.acting_policy = ActingPolicy.CONSENT
    session.add(company)
    session.commit()
    victim = setup.world.victim
    with pytest.raises(ServiceError) as refused:
        acting.start_acting(session, setup.agent, company_id=setup.company_id, user_id=victim.id)
    assert refused.value.code == acting.NOT_ALLOWED
    request_id = acting_consent.request_consent(
        session, setup.agent, company_id=setup.company_id, user_id=victim.id
    )
    mail = session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()  # type: ignore[union-attr]
    assert "Eva Ernst of Seller's customer care asks" in mail.payload["text"]
    assert "/seller-access/consent" in mail.payload["text"]
    with pytest.raises(ServiceError):
        acting.start_acting(session, setup.agent, company_id=setup.company_id, user_id=victim.id)
    # The agent acting for the main contact cannot answer for anyone; the user can.
    principal = resolve_acting(session, setup.raw)
    assert principal is not None
    with pytest.raises(ServiceError):
        acting_consent.answer_request(session, principal, request_id=request_id, accept=True)
    user = actor_for(session, victim)
    assert acting_consent.pending_count(session, user) == 1
    acting_consent.answer_request(session, user, request_id=request_id, accept=True)
    assert acting.start_acting(session, setup.agent, company_id=setup.company_id, user_id=victim.id)
