"""The approvals inbox and the order page through Reflex's real event pipeline: access rules,
decisions, a stale version in a second tab, and forged events that must change nothing."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session, select

from customer_center.domain.permissions import Permission
from customer_center.models.order import Order, OrderEvent
from customer_center.models.user import User
from customer_center.services.shop import cart
from customer_center.state.access import Access, access_of
from customer_center.state.approvals import ApprovalsBadgeState, ApprovalsInboxState
from customer_center.state.cart import CartBadgeState
from customer_center.state.middleware import handler_functions
from customer_center.state.order_view import OrderViewState
from customer_center.state.session import SessionState
from tests.factories import signed_in_cookie
from tests.order_factories import Shop
from tests.state.test_forged_events import dispatch, snapshot

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count()
DECIDE = Access(permission=Permission.APPROVALS_DECIDE)
CREATE = Access(permission=Permission.ORDERS_CREATE)
SIGNED_IN = Access()


@pytest.mark.parametrize(
    ("state", "handler", "access"),
    [
        (ApprovalsInboxState, "load", DECIDE),
        (ApprovalsInboxState, "next_page", DECIDE),
        (ApprovalsInboxState, "previous_page", DECIDE),
        (ApprovalsBadgeState, "refresh", SIGNED_IN),
        (OrderViewState, "load", SIGNED_IN),
        (OrderViewState, "approve", DECIDE),
        (OrderViewState, "reject", DECIDE),
        (OrderViewState, "save_change", DECIDE),
        (OrderViewState, "resubmit", CREATE),
        (OrderViewState, "cancel_order", SIGNED_IN),
        (OrderViewState, "add_comment", SIGNED_IN),
        (OrderViewState, "set_decision_comment", SIGNED_IN),
        (OrderViewState, "start_edit", SIGNED_IN),
        (OrderViewState, "stop_edit", SIGNED_IN),
        (OrderViewState, "set_quantity", SIGNED_IN),
        (OrderViewState, "toggle_remove", SIGNED_IN),
        (OrderViewState, "set_shipping", SIGNED_IN),
    ],
)
def test_handlers_carry_the_intended_access_rule(state, handler, access) -> None:
    assert access_of(handler_functions()[f"{state.get_full_name()}.{handler}"]) == access


def test_the_approval_states_have_no_other_handlers() -> None:
    modules = {"customer_center.state.approvals", "customer_center.state.order_view"}
    assert len([f for f in handler_functions().values() if f.__module__ in modules]) == 17


class World:
    def __init__(self, session: Session) -> None:
        self.shop = Shop.create(session)
        self.shop.limit(self.shop.ben, max_value=100_000)
        self.shop.chain(("any", [self.shop.anna, self.shop.carl]))
        self.order_id = self.shop.order().order_id
        self.session = session

    def cookie(self, user: User) -> str:
        return signed_in_cookie(self.session, user)

    async def send(self, token: str, cookie: str, state, handler: str, payload=None):  # type: ignore[no-untyped-def]
        name = f"{state.get_full_name()}.{handler}"
        query = {"order_id": str(self.order_id)}
        return await dispatch(token, cookie, name, payload or {}, query)

    def order(self) -> Order:
        self.session.expire_all()
        return self.session.get(Order, self.order_id)  # type: ignore[return-value]


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _token() -> str:
    return f"approvals-state-{next(_tokens)}"


async def test_an_approver_sees_the_inbox_and_the_badge_then_approves(world) -> None:
    anna, token = world.cookie(world.shop.anna), _token()
    inbox = await world.send(token, anna, ApprovalsInboxState, "load")
    assert [row["number"] for row in inbox.rows] == [f"PO-{world.order_id:06d}"]
    assert inbox.rows[0]["requester"] == "Ben" and "€1,224.00" in inbox.rows[0]["total"]
    badge = await world.send(token, anna, ApprovalsBadgeState, "refresh")
    assert badge.waiting == 1
    view = await world.send(token, anna, OrderViewState, "load")
    assert view.found and view.can_decide and view.status == "pending_approval"
    assert view.reasons == ["order value €1,224.00 exceeds the per-order limit of €1,000.00"]
    assert view.state_note == ""
    assert [line["quantity"] for line in view.lines] == ["2"]
    await world.send(token, anna, OrderViewState, "set_decision_comment", {"value": "Fine."})
    view = await world.send(token, anna, OrderViewState, "approve")
    assert view.status == "approved" and view.notice == "Your approval is recorded."
    assert view.reasons == []  # no "needs approval" banner once it no longer waits
    assert view.state_note == "This order is approved and goes to the seller."
    assert view.timeline[-1]["body"] == "Fine." and view.timeline[-1]["who"] == "Anna"
    assert world.order().status == "approved"


async def test_a_decision_on_a_stale_version_shows_the_fresh_order(world) -> None:
    anna, carl = world.cookie(world.shop.anna), world.cookie(world.shop.carl)
    anna_tab, carl_tab = _token(), _token()
    await world.send(anna_tab, anna, OrderViewState, "load")
    await world.send(carl_tab, carl, OrderViewState, "load")
    await world.send(anna_tab, anna, OrderViewState, "approve")
    await world.send(carl_tab, carl, OrderViewState, "set_decision_comment", {"value": "No."})
    view = await world.send(carl_tab, carl, OrderViewState, "reject")
    assert view.conflict.startswith("Someone else changed or decided this order")
    assert view.status == "approved" and not view.can_decide
    assert world.order().status == "approved"


async def test_an_approver_changes_a_quantity_and_the_requester_sees_the_revision(world) -> None:
    anna, ben = world.cookie(world.shop.anna), world.cookie(world.shop.ben)
    tab = _token()
    await world.send(tab, anna, OrderViewState, "load")
    await world.send(tab, anna, OrderViewState, "start_edit", {"mode": "change"})
    await world.send(
        tab, anna, OrderViewState, "set_quantity", {"sku": "MOTOR-4KW", "value": "abc"}
    )
    view = await world.send(tab, anna, OrderViewState, "save_change", {"form": {}})
    assert "quantity.MOTOR-4KW" in view.errors and world.order().revision == 1
    await world.send(tab, anna, OrderViewState, "set_quantity", {"sku": "MOTOR-4KW", "value": "1"})
    form = {f"address_{k}": v for k, v in world.order().delivery_address.items()}
    view = await world.send(
        tab, anna, OrderViewState, "save_change", {"form": {**form, "comment": "One will do."}}
    )
    assert view.errors == {} and view.editing == ""
    assert world.order().revision == 2
    mine = await world.send(_token(), ben, OrderViewState, "load")
    assert [c["text"] for c in mine.revision_changes] == [
        "Product MOTOR-4KW: quantity 2 → 1",
        "total €1,224.00 → €612.00",
    ]
    assert mine.can_cancel and not mine.can_decide


async def test_a_rejection_without_a_comment_is_refused_next_to_the_field(world) -> None:
    anna, tab = world.cookie(world.shop.anna), _token()
    await world.send(tab, anna, OrderViewState, "load")
    view = await world.send(tab, anna, OrderViewState, "reject")
    assert view.errors == {"comment": "Please say why, in a comment."}
    assert world.order().status == "pending_approval"


ATTACKS = [
    (ApprovalsInboxState, "load", {}),
    (ApprovalsInboxState, "next_page", {}),
    (OrderViewState, "approve", {}),
    (OrderViewState, "reject", {}),
    (OrderViewState, "save_change", {"form": {"comment": "forged"}}),
    (OrderViewState, "resubmit", {"form": {"comment": "forged"}}),
    (OrderViewState, "cancel_order", {}),
    (OrderViewState, "add_comment", {"form": {"message": "forged"}}),
]


@pytest.mark.parametrize("who", ["anonymous", "no_right", "other_company", "requester"])
async def test_forged_events_change_nothing(world, engine, who) -> None:
    """Tina (technician), Olga (another company), nobody, and Ben deciding his own order."""
    shop = world.shop
    users = {
        "anonymous": None,
        "no_right": shop.tina,
        "other_company": world.session.get(User, shop.other_main.user_id),
        "requester": shop.ben,
    }
    user = users[who]
    cookie = world.cookie(user) if user else ""
    tab = _token()
    view = await world.send(tab, cookie, OrderViewState, "load")
    assert view.found is (who == "requester")
    before = snapshot(engine, None if who != "other_company" else shop.main.company_id)
    for state, handler, payload in ATTACKS:
        if who == "requester" and handler in ("cancel_order", "add_comment"):
            continue  # his own order: allowed, tested elsewhere
        await world.send(tab, cookie, state, handler, payload)
    after = snapshot(engine, None if who != "other_company" else shop.main.company_id)
    assert after == before
    world.session.expire_all()
    assert world.session.exec(select(OrderEvent.kind)).all() == ["submitted"]


async def test_every_page_load_fills_the_navigation_counts(world) -> None:
    """The badges have no event of their own: the shell's on_load counts in one go."""
    anna, token = world.cookie(world.shop.anna), _token()
    session_state = await world.send(token, anna, SessionState, "load")
    badges = await session_state.get_state(ApprovalsBadgeState)
    assert badges.waiting == 1
    assert (await session_state.get_state(CartBadgeState)).count == 0
    ben, token = world.cookie(world.shop.ben), _token()
    shop = world.shop
    cart.add_to_cart(world.session, shop.actor(shop.ben), erp=shop.erp, sku="MOTOR-4KW", quantity=1)
    world.session.commit()
    session_state = await world.send(token, ben, SessionState, "load")
    assert (await session_state.get_state(ApprovalsBadgeState)).waiting == 0
    assert (await session_state.get_state(CartBadgeState)).count == 1
