"""The console's order pages and price check through Reflex's real event pipeline: an agent
with ``seller.view`` lists a company's orders, opens an order's full journey with its e-mails
and the price check of its lines, checks a product's and a user's cart's prices; bad input is
answered next to its field. A customer user, and a staff member without ``seller.view``,
calling any of these handlers is refused (data unchanged, nothing in the deltas); an order
of another company is "not found" with nothing of it sent."""

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
from customer_center.domain.staff import StaffPermission
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.models.audit import AuditEntry
from customer_center.models.order import CartItem
from customer_center.models.user import User
from customer_center.services.orders.lists import PAGE_SIZE
from customer_center.state.access import access_of
from customer_center.state.seller_orders import SellerOrderJourneyState, SellerOrdersState
from customer_center.state.seller_prices import SellerPricesState
from tests.factories import make_company, make_user, signed_in_cookie
from tests.journey_factory import make_order, seed_delivered_order
from tests.price_factories import BEARING, MOTOR, seed_mismatched_order
from tests.staff_factories import make_staff, staff_cookie
from tests.state.test_forged_events import snapshot
from tests.state.test_seller_forged_events import _sent, dispatch

pytestmark = pytest.mark.usefixtures("db")

STATES = (SellerOrdersState, SellerOrderJourneyState, SellerPricesState)
DELIVERED_LINES = (
    (BEARING, "Deep groove ball bearing 6205-2RS", 120, 695),
    (MOTOR, "Three-phase motor IE3 4 kW", 1, 55900),
)
# What must never reach anyone refused: the companies', their users' and their orders' data.
SECRETS = (
    "Müller Maschinenbau",
    "Ben Schmidt",
    "ben@mueller.example",
    "Acme Industrial",
    "Olga Other",
    "ACME-SECRET",
    "Deep groove",
    "SO-4711",
    "6,95",
    "6.95",
)


class World:
    def __init__(self, session: Session, engine) -> None:  # type: ignore[no-untyped-def]
        import_erp_directory(engine, demo_data_dir())
        main = make_company(session, "10001", "Müller Maschinenbau GmbH")
        self.company_id = main.company_id
        ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"])
        ben.name = "Ben Schmidt"
        acme = make_company(session, "10002", "Acme Industrial Supply Ltd")
        olga = make_user(session, acme.company_id, "olga@acme.example", ["buyer"])
        olga.name = "Olga Other"
        self.other_company_id = acme.company_id
        self.agent = make_staff(session, "eva@seller.example", [StaffPermission.VIEW])
        self.clerk = make_staff(
            session,
            "carl@seller.example",
            [StaffPermission.SETTINGS, StaffPermission.MANAGE_STAFF],
        )
        session.add_all([ben, olga])
        session.add(CartItem(company_id=main.company_id, user_id=ben.id, sku=BEARING, quantity=100))
        session.add(CartItem(company_id=main.company_id, user_id=ben.id, sku="GONE-1", quantity=1))
        session.commit()
        assert ben.id is not None and olga.id is not None
        self.ben_id, self.main_user_id = ben.id, main.user_id
        self.mismatched_id = seed_mismatched_order(session)
        delivered = seed_delivered_order(
            session, main.company_id, ben.id, lines=DELIVERED_LINES, erp_order_number="SO-4711"
        )
        self.delivered_id = delivered.id or 0
        foreign = make_order(session, acme.company_id, olga.id, reference="ACME-SECRET")
        self.foreign_id = foreign.id or 0
        self.olga_id = olga.id
        self.agent_cookie = f"{STAFF_COOKIE}={staff_cookie(session, self.agent)}"
        self.clerk_cookie = f"{STAFF_COOKIE}={staff_cookie(session, self.clerk)}"
        main_user = session.get(User, main.user_id)
        assert main_user is not None
        self.customer_cookie = f"{SESSION_COOKIE}={signed_in_cookie(session, main_user)}"

    def query(self, order_id: int | None = None) -> dict[str, str]:
        found = {"company_id": str(self.company_id)}
        if order_id is not None:
            found["order_id"] = str(order_id)
        return found


@pytest.fixture
def world(session: Session, engine) -> World:  # type: ignore[no-untyped-def]
    return World(session, engine)


def _name(state_cls: type, handler: str) -> str:
    return f"{state_cls.get_full_name()}.{handler}"


async def _call(world: World, token: str, state_cls: type, handler: str, payload=None, query=None):  # type: ignore[no-untyped-def]
    return await dispatch(
        token, world.agent_cookie, _name(state_cls, handler), payload or {}, query or world.query()
    )


def _leaked(token: str) -> set[str]:
    updates = _sent.updates.pop(token, [])
    text = repr([(getattr(u, "delta", None), getattr(u, "events", None)) for u in updates])
    return {secret for secret in SECRETS if secret in text}


# --- the company's orders --------------------------------------------------------------------


async def test_an_agent_lists_the_companys_orders_and_filters_by_status(world: World) -> None:
    state = await _call(world, "list", SellerOrdersState, "load")
    assert state.company_name == "Müller Maschinenbau GmbH"
    assert state.company_id == str(world.company_id)
    assert [row["id"] for row in state.rows] == [str(world.delivered_id), str(world.mismatched_id)]
    assert state.rows[0]["href"] == (
        f"/seller/companies/{world.company_id}/orders/{world.delivered_id}"
    )
    assert state.rows[0]["status_label"] == "Delivered"
    assert state.total == 2 and state.summary == "Page 1 of 1 · orders: 2"
    state = await _call(world, "list", SellerOrdersState, "set_status", {"status": "approved"})
    assert [row["id"] for row in state.rows] == [str(world.mismatched_id)]
    state = await _call(world, "list", SellerOrdersState, "set_status", {"status": "<script>"})
    assert state.status == "all" and state.total == 2
    _sent.updates.clear()


async def test_an_unknown_company_is_not_found(world: World) -> None:
    for token, wanted in (("nope", "999999"), ("junk", "12abc"), ("big", "9" * 12)):
        query = {"company_id": wanted}
        state = await _call(world, token, SellerOrdersState, "load", query=query)
        assert (state.rows, state.problem) == ([], "This company was not found.")
    _sent.updates.clear()


async def _kept(manager, token: str, world: World, handler: str):  # type: ignore[no-untyped-def]
    """One event on a state kept between events (as a browser tab's is)."""
    processor = BaseStateEventProcessor(middleware=portal.app)
    router_data = {
        "headers": {"cookie": world.agent_cookie},
        "pathname": f"/seller/companies/{world.company_id}/orders",
        "query": world.query(),
        "ip": "10.9.9.8",
    }
    name = _name(SellerOrdersState, handler)
    async with processor.configure(state_manager=manager, event_namespace=_sent):  # type: ignore[arg-type]
        future = await processor.enqueue(
            token, Event(name=name, payload={}, router_data=router_data)
        )
        await future
    root = await manager.get_state(BaseStateToken(ident=token, cls=SellerOrdersState))
    return await root.get_state(SellerOrdersState)


async def test_the_list_turns_its_pages(world: World, session: Session) -> None:
    for number in range(PAGE_SIZE):
        make_order(session, world.company_id, world.ben_id, reference=f"P-{number}")
    manager = StateManagerMemory()
    state = await _kept(manager, "pages", world, "load")
    assert (state.total, state.page_count, len(state.rows)) == (PAGE_SIZE + 2, 2, PAGE_SIZE)
    state = await _kept(manager, "pages", world, "next_page")
    assert (state.page, len(state.rows)) == (1, 2)
    assert state.summary == f"Page 2 of 2 · orders: {PAGE_SIZE + 2}"
    state = await _kept(manager, "pages", world, "next_page")
    assert state.page == 1
    state = await _kept(manager, "pages", world, "previous_page")
    assert (state.page, len(state.rows)) == (0, PAGE_SIZE)
    _sent.updates.clear()


# --- one order's journey ---------------------------------------------------------------------


async def test_the_journey_shows_erp_times_shipments_and_e_mails(world: World) -> None:
    query = world.query(world.delivered_id)
    state = await _call(world, "journey", SellerOrderJourneyState, "load", query=query)
    assert state.found and state.problem == ""
    assert state.head["status_label"] == "Delivered"
    assert state.head["erp_order_number"] == "SO-4711"
    assert [r["status"] for r in state.erp_reports] == [
        "Handed over to the ERP",
        "Confirmed",
        "Shipped",
        "Shipped",
        "Delivered",
    ]
    confirmed = state.erp_reports[1]
    assert "2026" in confirmed["occurred"] and confirmed["occurred"] != "—"
    assert (state.erp_reports[2]["carrier"], state.erp_reports[2]["tracking_number"]) == (
        "DHL",
        "00340434",
    )
    bearings = state.shipments[0]
    assert (bearings["sku"], bearings["shipped"]) == (BEARING, "120 of 120 shipped")
    assert "DHL, tracking 00340434" in bearings["shipments"]
    assert "UPS, tracking 1Z999" in bearings["shipments"]
    assert state.mails and all(m["to"] == "ben@mueller.example" for m in state.mails)
    assert {m["state_code"] for m in state.mails} == {"queued"}
    assert [line["sku"] for line in state.lines] == [BEARING, MOTOR]
    assert state.timeline and state.timeline[0]["kind"] == "erp.sent"
    # Today's contract for 120 bearings is the quantity break (6.95): the order matches.
    assert state.price_mismatches == 0
    assert [line["mismatch"] for line in state.price_lines] == ["", ""]
    _sent.updates.clear()


async def test_the_journey_flags_the_mismatched_line(world: World) -> None:
    query = world.query(world.mismatched_id)
    state = await _call(world, "mismatch", SellerOrderJourneyState, "load", query=query)
    assert state.price_mismatches == 1
    assert state.price_summary == (
        "1 of 2 lines does not match the contract valid when the order was placed."
    )
    bearings, motor = state.price_lines
    assert (bearings["sku"], bearings["mismatch"], motor["mismatch"]) == (BEARING, "1", "")
    assert bearings["text"] == (
        "Does not match: stored €7.90, but the contract valid on Feb 10, 2026 says €7.45 "
        "(€0.45 more per unit)."
    )
    assert state.erp_reports == [] and state.mails == []
    _sent.updates.clear()


async def test_an_order_of_another_company_is_not_found_and_nothing_leaks(world: World) -> None:
    for token, order in (("foreign", str(world.foreign_id)), ("junk", "x1"), ("none", "0")):
        query = {"company_id": str(world.company_id), "order_id": order}
        state = await _call(world, token, SellerOrderJourneyState, "load", query=query)
        assert (state.found, state.head, state.lines, state.mails) == (False, {}, [], [])
        assert state.problem == "This order does not exist or you may not see it."
        sent = repr(_sent.updates.pop(token, []))
        assert "ACME-SECRET" not in sent and "Olga Other" not in sent


# --- the price check -------------------------------------------------------------------------


async def test_a_quantity_break_with_its_source_validity_and_every_contract_term(
    world: World,
) -> None:
    form = {"sku": " brg-6205-2rs ", "quantity": "100", "day": "2026-03-02"}
    state = await _call(world, "price", SellerPricesState, "check_price", {"form": form})
    assert state.errors == {}
    assert state.result["price"] == "€6.95"
    assert state.result["source_text"] == "Quantity break"
    assert state.result["quote_text"] == (
        "Contract price €6.95 valid from Jan 1, 2026 (from 100 pieces)"
    )
    assert state.result["list_price_text"] == "List price €8.90"
    assert [(t["state"], t["min_quantity"]) for t in state.terms] == [
        ("ended", "1"),
        ("current", "1"),
        ("current", "100"),
    ]
    _sent.updates.clear()


async def test_bad_input_is_answered_next_to_its_field(world: World) -> None:
    cases = (
        ({"sku": BEARING, "quantity": "0"}, "quantity", "Please enter a whole number from 1"),
        ({"sku": "", "quantity": "1"}, "sku", "Please enter an article number."),
        ({"sku": "NOPE-1", "quantity": "1"}, "sku", "The ERP has no product with"),
        ({"sku": BEARING, "day": "2026-02-30"}, "day", "Please enter a day as YYYY-MM-DD"),
        ({"sku": {"x": 1}, "quantity": ["1"]}, "sku", "Please enter an article number."),
    )
    for number, (form, field, text) in enumerate(cases):
        state = await _call(
            world, f"bad-{number}", SellerPricesState, "check_price", {"form": form}
        )
        assert state.result == {} and state.terms == []
        assert state.errors[field].startswith(text), (form, state.errors)
    _sent.updates.clear()


async def test_a_users_cart_is_priced_as_the_user_sees_it(world: World, engine) -> None:
    state = await _call(world, "cart", SellerPricesState, "load")
    assert "Ben Schmidt" in [u["name"] for u in state.users]
    state = await _call(
        world, "cart", SellerPricesState, "find_users", {"form": {"user_search": "ben@"}}
    )
    assert [u["name"] for u in state.users] == ["Ben Schmidt"]
    form = {"user": str(world.ben_id), "cart_day": "2026-03-02"}
    state = await _call(world, "cart", SellerPricesState, "check_cart", {"form": form})
    assert state.cart_errors == {} and state.cart_checked
    assert state.cart_user == "Ben Schmidt"
    assert [(line["sku"], line["price"]) for line in state.cart_lines] == [(BEARING, "€6.95")]
    assert state.cart_unavailable == "No longer sold: GONE-1"
    # A user of another company, or no user, is refused next to the picker.
    for number, user in enumerate((str(world.olga_id), "", "1e3")):
        form = {"user": user}
        state = await _call(
            world, f"cart-{number}", SellerPricesState, "check_cart", {"form": form}
        )
        assert state.cart_errors == {"user": "Please choose a user of this company."}
        assert state.cart_lines == [] and not state.cart_checked
    state = await _call(
        world,
        "cart",
        SellerPricesState,
        "check_cart",
        {"form": {"user": str(world.ben_id), "cart_day": "3.2."}},
    )
    assert state.cart_errors["cart_day"].startswith("Please enter a day as YYYY-MM-DD")
    with Session(engine) as session:
        checks = session.exec(
            select(AuditEntry).where(AuditEntry.action == "seller.checked_prices")
        ).all()
        assert [(c.target_type, c.company_id) for c in checks] == [("cart", world.company_id)]
    _sent.updates.clear()


async def test_each_check_runs_on_submit_and_is_audited(world: World, engine) -> None:
    form = {"sku": BEARING, "quantity": "3"}
    for _ in range(2):
        await _call(world, "audited", SellerPricesState, "check_price", {"form": form})
    with Session(engine) as session:
        checks = session.exec(
            select(AuditEntry).where(AuditEntry.action == "seller.checked_prices")
        ).all()
        assert [(c.target_type, c.target_id) for c in checks] == [("product", BEARING)] * 2
    _sent.updates.clear()


# --- forged events ---------------------------------------------------------------------------


def _handlers() -> list[tuple[type, str]]:
    found = []
    for state_cls in STATES:
        for name, handler in state_cls.event_handlers.items():
            access = access_of(handler.fn)
            if access is not None:
                found.append((state_cls, name))
    return found


def _payload(world: World, state_cls: type, handler: str) -> dict:
    form = {
        "sku": BEARING,
        "quantity": "100",
        "user": str(world.ben_id),
        "user_search": "ben",
        "day": "",
    }
    return {
        "set_status": {"status": "delivered"},
        "check_price": {"form": form},
        "check_cart": {"form": form},
        "find_users": {"form": form},
    }.get(handler, {})


def test_every_handler_has_the_seller_view_rule() -> None:
    handlers = _handlers()
    assert len(handlers) >= 8
    for state_cls, name in handlers:
        access = access_of(state_cls.event_handlers[name].fn)
        assert access is not None and access.staff, name
        assert access.permission == StaffPermission.VIEW, name


@pytest.mark.parametrize("who", ["customer", "clerk"])
async def test_refused_callers_change_nothing_and_see_nothing(
    world: World, engine, who: str
) -> None:
    cookie = world.customer_cookie if who == "customer" else world.clerk_cookie
    # The customer's cookie slipped into the staff cookie's name too.
    cookies = [cookie]
    if who == "customer":
        cookies.append(f"{STAFF_COOKIE}={cookie.partition('=')[2]}")
    for number, (state_cls, handler) in enumerate(_handlers()):
        for variant, header in enumerate(cookies):
            token = f"{who}-{number}-{variant}"
            for order in (world.delivered_id, world.mismatched_id):
                before = snapshot(engine, None)
                query = world.query(order)
                await dispatch(token, header, _name(state_cls, "load"), {}, query)
                state = await dispatch(
                    token,
                    header,
                    _name(state_cls, handler),
                    _payload(world, state_cls, handler),
                    query,
                )
                assert snapshot(engine, None) == before, (who, handler)
                assert not _leaked(token), (who, handler)
                for var in (
                    "rows",
                    "lines",
                    "mails",
                    "price_lines",
                    "terms",
                    "cart_lines",
                    "users",
                ):
                    assert not getattr(state, var, []), (who, handler, var)
                assert getattr(state, "company_name", "") == ""
    with Session(engine) as session:
        looks = session.exec(
            select(AuditEntry).where(AuditEntry.action.startswith("seller."))  # type: ignore[attr-defined]
        ).all()
        assert looks == []
