"""The console's company search and Company 360 through Reflex's real event pipeline: what an
agent sees in each section, the route preview, the account team, the agent's help; and the
refusals: a customer user and an agent without the right calling each handler change nothing
and receive nothing of the company."""

from __future__ import annotations

import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from sqlmodel import Session, select

import customer_center.customer_center as portal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.domain.staff import StaffPermission, TeamRole
from customer_center.models.audit import AuditEntry
from customer_center.models.outbox import OutboxMessage
from customer_center.models.staff import AccountTeamMember
from customer_center.models.user import User
from customer_center.services.identity.accounts import SIGN_IN_LIMIT
from customer_center.services.identity.rate_limit import record_attempt
from customer_center.state.access import access_of
from customer_center.state.seller_assist import SellerAssistState
from customer_center.state.seller_companies import SellerCompaniesState
from customer_center.state.seller_company import SellerCompanyState
from tests.factories import signed_in_cookie
from tests.staff_factories import make_staff, staff_cookie
from tests.state.pipeline import SentToBrowsers
from tests.state.test_forged_events import (
    World,
    _arguments,
    handler_functions_state,
    protected_handlers,
    secrets_in,
    snapshot,
)

pytestmark = pytest.mark.usefixtures("db")

NEW_STATES = (SellerCompaniesState, SellerCompanyState, SellerAssistState)
_sent = SentToBrowsers()


class Browser:
    """One tab: the same state manager across events, as a real connection has."""

    def __init__(self, cookie_header: str, token: str) -> None:
        self.manager = StateManagerMemory()
        self.cookie_header, self.token = cookie_header, token

    async def send(
        self, state_cls, handler: str, payload: dict | None = None, query: dict | None = None
    ):  # type: ignore[no-untyped-def]
        processor = BaseStateEventProcessor(middleware=portal.app)
        router_data = {
            "headers": {"cookie": self.cookie_header},
            "pathname": "/seller/companies",
            "asPath": "/seller/companies",
            "query": query or {},
            "ip": "10.9.9.7",
        }
        name = f"{state_cls.get_full_name()}.{handler}"
        async with processor.configure(state_manager=self.manager, event_namespace=_sent):  # type: ignore[arg-type]
            future = await processor.enqueue(
                self.token, Event(name=name, payload=payload or {}, router_data=router_data)
            )
            await future
        root = await self.manager.get_state(BaseStateToken(ident=self.token, cls=state_cls))
        return await root.get_state(state_cls)


class Console:
    def __init__(self, session: Session) -> None:
        self.world = World(session)
        self.company_id = self.world.main_a.company_id
        self.boss = make_staff(session, "boss@seller.example", name="Sabine Supervisor")
        self.agent = make_staff(session, "agent@seller.example", [StaffPermission.VIEW])
        self.outsider = make_staff(session, "settings@seller.example", [StaffPermission.SETTINGS])
        session.commit()
        self.query = {"company_id": str(self.company_id)}

    def staff_browser(self, engine, member, token: str) -> Browser:  # type: ignore[no-untyped-def]
        with Session(engine, expire_on_commit=False) as session:
            return Browser(f"{STAFF_COOKIE}={staff_cookie(session, member)}", token)


@pytest.fixture
def console(session: Session) -> Console:
    return Console(session)


async def test_the_search_finds_a_company_by_number_and_by_a_users_email(console, engine) -> None:
    tab = console.staff_browser(engine, console.agent, "search")
    state = await tab.send(SellerCompaniesState, "load", query={"q": "A-1"})
    assert [row["name"] for row in state.rows] == ["Alpha GmbH"]
    assert state.rows[0]["matched_by"] == "Customer number"
    state = await tab.send(SellerCompaniesState, "set_query", {"value": "victim@alpha.example"})
    assert [(r["name"], r["matched_by"]) for r in state.rows] == [
        ("Alpha GmbH", "A user's e-mail address")
    ]
    assert "1" in state.summary
    state = await tab.send(SellerCompaniesState, "set_query", {"value": "nobody-at-all"})
    assert state.rows == []
    assert state.summary == "No company matches “nobody-at-all”."


async def test_each_section_of_company_360(console, engine) -> None:
    tab = console.staff_browser(engine, console.agent, "sections")
    state = await tab.send(SellerCompanyState, "load", query=console.query)
    assert state.head["name"] == "Alpha GmbH"
    assert state.not_found == ""
    assert state.tokens[0]["label"] == "Alpha IdP secret token"
    assert any("password" in line for line in state.sign_in)
    state = await tab.send(SellerCompanyState, "load", query={**console.query, "section": "users"})
    emails = {row["email"]: row for row in state.rows}
    assert emails["invited@alpha.example"]["status_code"] == "invited"
    assert emails["victim@alpha.example"]["status_code"] == "active"
    assert state.total == len(state.rows) == 4
    state = await tab.send(SellerCompanyState, "load", query={**console.query, "section": "setup"})
    assert [row["whose"] for row in state.budgets][0] == "Company default"
    assert "98,765.43" in state.budgets[0]["limits"]
    assert len(state.chains) == 1
    assert {u["name"] for u in state.preview_users} >= {"Viktor Victim"}
    state = await tab.send(
        SellerCompanyState, "load", query={**console.query, "section": "approvals"}
    )
    assert [row["order_id"] for row in state.rows] == [str(console.world.ids["order_id"])]
    assert state.rows[0]["requester"] == "Viktor Victim"
    state = await tab.send(SellerCompanyState, "load", query={**console.query, "section": "audit"})
    assert state.rows[0]["action"] == "Looked at the audit log"
    state = await tab.send(SellerCompanyState, "set_audit_search", {"value": "nothing like this"})
    assert state.rows == []


async def test_an_unknown_company_says_so(console, engine) -> None:
    tab = console.staff_browser(engine, console.agent, "unknown")
    for wanted in ("999999", "x", "", "99999999999999999"):
        state = await tab.send(SellerCompanyState, "load", query={"company_id": wanted})
        assert state.not_found == "This company was not found."
        assert state.head == {}


async def test_the_route_preview_names_the_approvers(console, engine) -> None:
    tab = console.staff_browser(engine, console.agent, "preview")
    await tab.send(SellerCompanyState, "load", query={**console.query, "section": "setup"})
    victim = str(console.world.victim.id)
    state = await tab.send(
        SellerCompanyState, "preview", {"form": {"user_id": victim, "amount": "12"}}
    )
    assert "Viktor Victim" in state.preview_sentence
    assert state.preview_steps and state.preview_steps[0].startswith("1)")
    state = await tab.send(
        SellerCompanyState, "preview", {"form": {"user_id": victim, "amount": "-3"}}
    )
    assert set(state.preview_errors) == {"amount"}
    state = await tab.send(SellerCompanyState, "preview", {"form": {"user_id": "", "amount": "3"}})
    assert state.preview_errors == {"user_id": "Choose a user."}


async def test_a_supervisor_sets_the_account_team(console, engine) -> None:
    tab = console.staff_browser(engine, console.boss, "team")
    state = await tab.send(SellerCompanyState, "load", query=console.query)
    assert state.team == []
    agent_id = str(console.agent.id)
    assert agent_id in {c["id"] for c in state.team_choices}
    form = {"staff_id": agent_id, "team_role": TeamRole.KEY_ACCOUNT_MANAGER.value}
    state = await tab.send(SellerCompanyState, "add_team_member", {"form": form})
    assert [(m["name"], m["role"]) for m in state.team] == [("Agent", "Key account manager")]
    assert agent_id not in {c["id"] for c in state.team_choices}
    state = await tab.send(SellerCompanyState, "remove_team_member", {"staff_id": agent_id})
    assert state.team == []


async def test_an_agent_sends_a_reset_link_and_lifts_a_lockout(console, engine) -> None:
    tab = console.staff_browser(engine, console.agent, "assist")
    victim = console.world.victim
    await tab.send(SellerCompanyState, "load", query={**console.query, "section": "users"})
    state = await tab.send(SellerAssistState, "ask", {"action": "reset", "user_id": str(victim.id)})
    assert (state.action, state.user_name, state.needs_reason) == ("reset", "Viktor Victim", False)
    state = await tab.send(SellerAssistState, "confirm", {"form": {}})
    assert state.message == "seller.assist.done.reset"
    with Session(engine) as session:
        mails = session.exec(select(OutboxMessage)).all()
        assert any(
            "victim@alpha.example" in str(m.payload) for m in mails if "reset" in str(m.payload)
        )
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.action == "seller.reset_link_sent")
        ).one()
        assert (entry.actor_ref, entry.company_id) == (console.agent.id, console.company_id)
        for _ in range(SIGN_IN_LIMIT.max_failures + 1):
            record_attempt(session, SIGN_IN_LIMIT.kind, ["email:victim@alpha.example"], False)
        session.commit()
    args = {"action": "sign_in_lock", "user_id": str(victim.id)}
    state = await tab.send(SellerAssistState, "ask", args)
    assert state.needs_reason
    state = await tab.send(SellerAssistState, "confirm", {"form": {"reason": "  "}})
    assert state.errors == {"reason": "Please give a reason."}
    assert state.action == "sign_in_lock"
    state = await tab.send(SellerAssistState, "confirm", {"form": {"reason": "x" * 501}})
    assert state.errors == {"reason": "The reason can be at most 500 characters long."}
    state = await tab.send(
        SellerAssistState, "confirm", {"form": {"reason": "Called us, ID checked"}}
    )
    assert state.errors == {} and state.message == "seller.assist.done.sign_in_lock"
    with Session(engine) as session:
        lifted = session.exec(
            select(AuditEntry).where(AuditEntry.action == "seller.sign_in_lockout_lifted")
        ).one()
        assert lifted.after == {"reason": "Called us, ID checked"}
    # Nothing left to lift: said so, next to nothing else.
    await tab.send(SellerAssistState, "ask", args)
    state = await tab.send(SellerAssistState, "confirm", {"form": {"reason": "again"}})
    assert state.errors == {"": "There is no lockout to lift."}


async def test_the_invitation_goes_again_only_to_the_invited(console, engine) -> None:
    tab = console.staff_browser(engine, console.agent, "invite")
    await tab.send(SellerCompanyState, "load", query={**console.query, "section": "users"})
    invited = str(console.world.ids["invited_id"])
    await tab.send(SellerAssistState, "ask", {"action": "invitation", "user_id": invited})
    state = await tab.send(SellerAssistState, "confirm", {"form": {}})
    assert state.message == "seller.assist.done.invitation"
    victim = str(console.world.victim.id)
    await tab.send(SellerAssistState, "ask", {"action": "invitation", "user_id": victim})
    state = await tab.send(SellerAssistState, "confirm", {"form": {}})
    assert state.errors == {"": "This user has already accepted the invitation."}


def _new_handlers() -> dict[str, object]:
    """The console's handlers (not the framework's, not the inherited public ones)."""
    return {
        name: fn
        for name, (fn, _right) in protected_handlers().items()
        if handler_functions_state(name) in NEW_STATES
    }


async def _attack(engine, tab: Browser, name: str, fn, ids: dict, query: dict) -> list:  # type: ignore[no-untyped-def]
    before = snapshot(engine, None)
    state_cls = handler_functions_state(name)
    handler = name.rpartition(".")[2]
    if handler != "load" and "load" in state_cls.event_handlers:
        await tab.send(state_cls, "load", query=query)
    state = await tab.send(state_cls, handler, _arguments(fn, ids), query=query)
    assert snapshot(engine, None) == before, f"{name} changed data"
    for var in ("rows", "head", "team", "budgets", "chains", "tokens"):
        assert not getattr(state, var, None), f"{name} filled {var}"
    return _sent.updates.pop(tab.token, [])


async def test_outsiders_call_every_console_handler_in_vain(console, engine) -> None:
    handlers = _new_handlers()
    assert len(handlers) >= 15
    assert all(access_of(fn).staff for fn in handlers.values())  # type: ignore[union-attr]
    with Session(engine, expire_on_commit=False) as session:
        main = session.get(User, console.world.main_a.user_id)
        customer = signed_in_cookie(session, main)
    ids = {**console.world.ids, "company_id": console.company_id, "staff_id": console.agent.id}
    query = {**console.query, "section": "users", "q": "A-1"}
    tabs = [
        Browser(f"{SESSION_COOKIE}={customer}", "customer"),
        Browser(f"{STAFF_COOKIE}={customer}", "customer-in-staff-cookie"),
        console.staff_browser(engine, console.outsider, "no-view"),
    ]
    for tab in tabs:
        for name, fn in sorted(handlers.items()):
            updates = await _attack(engine, tab, name, fn, ids, query)
            assert not secrets_in(updates), f"{name} leaked to {tab.token}"


async def test_an_agent_cannot_change_the_team(console, engine) -> None:
    with Session(engine) as session:
        session.add(
            AccountTeamMember(
                company_id=console.company_id, staff_id=console.boss.id, team_role="agent"
            )
        )
        session.commit()
    tab = console.staff_browser(engine, console.agent, "agent-team")
    state = await tab.send(SellerCompanyState, "load", query=console.query)
    assert [m["name"] for m in state.team] == ["Sabine Supervisor"]
    assert state.team_choices == []
    before = snapshot(engine, None)
    form = {"staff_id": str(console.agent.id), "team_role": "agent"}
    await tab.send(SellerCompanyState, "add_team_member", {"form": form})
    await tab.send(SellerCompanyState, "remove_team_member", {"staff_id": str(console.boss.id)})
    assert snapshot(engine, None) == before
