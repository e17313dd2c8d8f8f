"""Forged events through Reflex's real event pipeline (event processor, middleware, state
manager; no browser) against every protected handler of every state.

For each handler: without a session, as a user of the same company without the right, and as
the main contact of another company, a forged event carrying the ids of company A's data must
be refused or scoped away, and must change none of company A's data. Company A has users,
an order waiting for approval, a cart, budgets, an approver chain, SCIM and invitation tokens
and an absence; nothing of them may reach the anonymous or other company's attacker in any
state delta the server sends back (read leaks).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from customer_center.domain.order_states import OrderStatus
from customer_center.domain.people import RuleScope
from customer_center.models.approval import Absence
from customer_center.models.identity import ScimToken
from customer_center.services.identity import scim_tokens
from customer_center.services.orders.ordering import LineRequest, submit_order
from customer_center.services.people import absences, budgets, chains, inviting, users
from customer_center.services.shop import cart
from customer_center.settings import get_settings
from customer_center.state.access import access_of
from customer_center.state.middleware import handler_functions, is_framework_event
from customer_center.state.users import UsersListState
from customer_center.tables import metadata
from tests.factories import actor_for, make_company, make_user, role_id, signed_in_cookie
from tests.order_factories import CHECKOUT, FakeErp
from tests.state.pipeline import Pipeline, session_cookie, state_of

pytestmark = pytest.mark.usefixtures("db")

# Shared catalogue data and delivery queues, not company data.
_NOT_COMPANY_DATA = {"outbox_message", "dev_mail", "attempt", "erp_activation_notice"}


def protected_handlers() -> dict[str, tuple[Callable, str | None]]:
    """Every application handler that needs a signed-in user: name -> (fn, permission)."""
    found = {}
    for name, fn in handler_functions().items():
        access = access_of(fn)
        if is_framework_event(name, fn) or access is None or access.anonymous:
            continue
        found[name] = (fn, access.permission)
    return found


# What company A's data says, each only there: none may appear in an outsider's state.
SECRET_TEXTS = (
    "Alpha GmbH",
    "victim@alpha.example",
    "Viktor Victim",
    "tech@alpha.example",
    "main@a-1.example",
    "invited@alpha.example",
    "Ines Invited",
    "ALPHA-CART-SKU",
    "ALPHA-ORDER-SKU",
    "PO-ALPHA-SECRET",
    "Geheimweg 17",
    "Alpha's secret comment",
    "Alpha IdP secret token",
    "98,765.43",
    "98.765,43",
    "2031-02-17",
    "ALPHA-RETURN-SKU",
    "Alpha's secret return",
)
SECRET_NUMBERS = (9_876_543, 54_321_00)  # the budget and the chain's threshold, in cents
# What the technician of company A sees of it on any page: the header's company name and her
# own address. The anonymous visitor and company B see nothing of A at all.
SEEN_BY = {"no_right": {"Alpha GmbH", "tech@alpha.example"}}
ERP = FakeErp({"ALPHA-CART-SKU": "3.00", "ALPHA-ORDER-SKU": "77.00"})
ALPHA_CHECKOUT = dataclasses.replace(
    CHECKOUT,
    delivery_address={**CHECKOUT.delivery_address, "street": "Geheimweg 17"},
    reference="PO-ALPHA-SECRET",
    comment="Alpha's secret comment",
)


def _alpha_return(session: Session, victim) -> int:  # type: ignore[no-untyped-def]
    """A delivered order of A and the victim's return of part of it (returns.request)."""
    from customer_center.services.returns.customer import request_return, returnable
    from tests.journey_factory import seed_delivered_order

    lines = (("ALPHA-RETURN-SKU", "Alpha part", 5, 1234),)
    delivered = seed_delivered_order(session, victim.company_id, victim.user_id, lines=lines)
    found = returnable(session, victim, order_id=delivered.id, settings=get_settings())
    return_id = request_return(
        session,
        victim,
        order_id=delivered.id,
        kind="goods",
        reason="damaged",
        condition="opened",
        outcome="credit",
        comment="Alpha's secret return",
        quantities={str(found.lines[0].id): "2"},
        settings=get_settings(),
    )
    session.commit()
    return return_id


def _levels(approver_id: int, role: int) -> list[dict[str, object]]:
    """The main contact approves; above 54,321.00 the main contact role as well."""
    return [
        {"rule": "any", "min_order_value_cents": None, "approvers": [{"user_id": approver_id}]},
        {"rule": "all", "min_order_value_cents": 54_321_00, "approvers": [{"role_id": role}]},
    ]


class World:
    """Company A with data worth attacking (made the way the services make it), a user of A
    without rights, company B."""

    def __init__(self, session: Session) -> None:
        self.main_a = make_company(session, "A-1", "Alpha GmbH")
        company_id = self.main_a.company_id
        self.victim = make_user(
            session, company_id, "victim@alpha.example", ["buyer"], name="Viktor Victim"
        )
        technician = make_user(session, company_id, "tech@alpha.example", ["technician"])
        main_b = make_company(session, "B-1", "Beta AG")
        main_b_user = session.get(type(self.victim), main_b.user_id)
        self.ids = {
            "user_id": self.victim.id,
            "role_id": role_id(session, company_id, "approver"),
            "substitute_id": self.main_a.user_id,
            **self._company_data(session),
        }
        self.attackers = {"anonymous": None, "no_right": technician, "other_company": main_b_user}

    def _company_data(self, session: Session) -> dict[str, int]:
        """Budgets, a chain, an absence, tokens, a cart and an order of company A."""
        main, victim = self.main_a, actor_for(session, self.victim)
        own_limits = {"max_quantity": "1", "max_order_value": "98,765.43"}
        budgets.save_rule(
            session, main, scope=RuleScope.USER, subject_id=self.victim.id, values=own_limits
        )
        budgets.save_rule(
            session,
            main,
            scope=RuleScope.COMPANY,
            subject_id=0,
            values={"max_order_value": "98,765.43"},
        )
        main_contacts = role_id(session, main.company_id, "main_contact")
        chains.save_chain(
            session,
            main,
            scope=RuleScope.COMPANY,
            subject_id=0,
            levels_payload=_levels(main.user_id, main_contacts),
        )
        absences.add_absence(
            session,
            main,
            user_id=self.victim.id,
            starts_on=date(2031, 2, 17),
            ends_on=date(2031, 2, 20),
            substitute_id=main.user_id,
        )
        scim_tokens.create_token(session, main, label="Alpha IdP secret token")
        buyer = role_id(session, main.company_id, "buyer")
        invitation = users.NewUser("Ines Invited", "invited@alpha.example", "en", (buyer,))
        invited = inviting.invite_user(session, main, settings=get_settings(), new=invitation)
        cart.add_to_cart(session, victim, erp=ERP, sku="ALPHA-CART-SKU", quantity=5)
        line = LineRequest("ALPHA-ORDER-SKU", 2)  # more than the victim's one piece per order
        order = submit_order(
            session, victim, settings=get_settings(), lines=[line], checkout=ALPHA_CHECKOUT, erp=ERP
        )
        session.commit()
        assert order.status == OrderStatus.PENDING_APPROVAL
        return_id = _alpha_return(session, victim)
        return {
            "order_id": order.order_id,
            "return_id": return_id,
            "token_id": session.exec(select(ScimToken.id)).one(),  # type: ignore[dict-item]
            "absence_id": session.exec(select(Absence.id)).one(),  # type: ignore[dict-item]
            "invited_id": invited,
        }

    def cookie(self, engine, who: str) -> str:  # type: ignore[no-untyped-def]
        """A fresh session each time: a forged sign-out must not disarm later attacks."""
        user = self.attackers[who]
        if user is None:
            return ""
        with Session(engine, expire_on_commit=False) as session:
            return signed_in_cookie(session, user)


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _arguments(fn: Callable, ids: dict[str, int]) -> dict[str, object]:
    """Plausible, hostile arguments: every id-like value points at company A's data."""
    target = ids["user_id"]
    form = {
        **{key: str(value) for key, value in ids.items()},
        "name": "Forged",
        "email": "forged@attacker.example",
        "password": "Forged-Password-123",
        "language": "en",
        "amount": "1",
        f"role_{ids['role_id']}": "on",
    }
    arguments: dict[str, object] = {}
    for parameter in list(inspect.signature(fn).parameters.values())[1:]:
        annotation = str(parameter.annotation)
        named = ids.get(parameter.name, target)  # `token_id` gets A's token id, and so on
        if "dict" in annotation:
            arguments[parameter.name] = form
        elif "list" in annotation:
            arguments[parameter.name] = [named]
        elif "int" in annotation:
            arguments[parameter.name] = named
        elif "bool" in annotation:
            arguments[parameter.name] = True
        else:
            arguments[parameter.name] = str(named)
    return arguments


_pipeline = Pipeline()
_sent = _pipeline.sent
handler_functions_state = state_of


async def dispatch(token: str, cookie: str, name: str, payload: dict, query: dict) -> object:
    """Send one event the way the socket handler does, and return the handler's state."""
    return await _pipeline.send(token, session_cookie(cookie), name, payload, query)


def snapshot(engine, company_id: int | None) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """All rows of the company's data (``None``: of every table)."""
    rows: dict[str, list] = {}
    with engine.connect() as connection:
        user_ids = {
            r[0]
            for r in connection.execute(
                text("SELECT id FROM user_account WHERE company_id = :c OR :c IS NULL"),
                {"c": company_id},
            )
        }
        for table in metadata.sorted_tables:
            if company_id is not None and table.name in _NOT_COMPANY_DATA:
                continue
            columns = [c for c in table.columns if (table.name, c.name) not in _BOOKKEEPING]
            result = [
                tuple(map(str, r))
                for r in connection.execute(table.select().with_only_columns(*columns))
            ]
            if company_id is not None:
                result = [r for r in result if _belongs(table, r, company_id, user_ids)]
            rows[table.name] = sorted(result)
    return rows


# What every event may write whoever sends it: when a session was last used.
_BOOKKEEPING = {("auth_session", "last_used_at")}


def _belongs(table, row: tuple, company_id: int, user_ids: set[int]) -> bool:  # type: ignore[no-untyped-def]
    columns = [c.name for c in table.columns if (table.name, c.name) not in _BOOKKEEPING]
    values = dict(zip(columns, row, strict=True))
    if "company_id" in values:
        return values["company_id"] == str(company_id)
    if "user_id" in values:
        return values["user_id"] in {str(u) for u in user_ids}
    return True


async def _attack(world: World, engine, name: str, fn: Callable, who: str, step: int) -> int:  # type: ignore[no-untyped-def]
    """One forged event (after the state's load); returns how many updates came back."""
    company_scope = world.main_a.company_id if who == "other_company" else None
    cookie = world.cookie(engine, who)
    before = snapshot(engine, company_scope)
    token = f"{who}-{step}"
    query = {key: str(value) for key, value in world.ids.items()}
    state_name = name.rpartition(".")[0]
    load = f"{state_name}.load"
    if load in handler_functions() and load != name:
        await dispatch(token, cookie, load, {}, query)
    await dispatch(token, cookie, name, _arguments(fn, world.ids), query)
    assert snapshot(engine, company_scope) == before, f"{name} changed data as {who}"
    updates = _sent.updates.pop(token, [])
    leaked = secrets_in(updates) - SEEN_BY.get(who, set())
    assert not leaked, f"{name} sent company A's data to {who}: {leaked}"
    return len(updates)


def secrets_in(updates: list[object]) -> set[object]:
    """Which of company A's texts and figures the updates (deltas and events) carry."""
    found: set[object] = set()
    pending: list[object] = [
        {"delta": getattr(u, "delta", None), "events": repr(getattr(u, "events", None))}
        for u in updates
    ]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list | tuple | set):
            pending.extend(value)
        elif isinstance(value, str):
            found.update(text for text in SECRET_TEXTS if text in value)
        elif isinstance(value, int | float) and value in SECRET_NUMBERS:
            found.add(value)
    return found


async def test_every_protected_handler_refuses_or_scopes_forged_events(world, engine) -> None:
    handlers = protected_handlers()
    assert len(handlers) >= 15
    step = updates = customer_steps = 0
    for name, (fn, permission) in sorted(handlers.items()):
        attackers = ["anonymous", "other_company"] + (["no_right"] if permission else [])
        # The seller's handlers answer a customer's cookie with nothing at all: they are
        # attacked too, but only the customer side's answers tell that the check saw pages.
        access = access_of(fn)
        customer_side = access is not None and not access.staff
        for who in attackers:
            step += 1
            answered = await _attack(world, engine, name, fn, who, step)
            if customer_side:
                customer_steps += 1
                updates += answered
    # the attackers' own pages did answer: the leak check saw them
    assert updates > customer_steps


async def test_the_pipeline_lets_an_entitled_user_through(world, session) -> None:
    """The harness itself: the same event from the main contact of A does take effect."""
    cookie = signed_in_cookie(session, session.get(type(world.victim), world.main_a.user_id))
    name = f"{UsersListState.get_full_name()}.set_search"
    state = await dispatch("entitled", cookie, name, {"value": "victim"}, {})
    assert state.search == "victim"
    assert [row["email"] for row in state.rows] == ["victim@alpha.example"]
    assert secrets_in(_sent.updates.pop("entitled")) >= {"victim@alpha.example", "Viktor Victim"}
    no_right = world.cookie(session.get_bind(), "no_right")
    refused = await dispatch("refused", no_right, name, {"value": "victim"}, {})
    assert (refused.search, refused.rows) == ("", [])
    assert secrets_in(_sent.updates.pop("refused", [])) == set()
