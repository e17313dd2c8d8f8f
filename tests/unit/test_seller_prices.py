"""The contract price check of the seller's agents, against the demo ERP's contracts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.prices import PriceSource
from customer_center.domain.principals import PrincipalKind, SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.protocol import (
    CachedOffer,
    ErpPrice,
    ErpProductOffer,
    ErpUnavailable,
)
from customer_center.models.audit import AuditEntry
from customer_center.models.order import CartItem
from customer_center.services.seller.prices import (
    cart_price_check,
    order_price_check,
    price_check,
)
from tests.factories import make_company, make_user
from tests.price_factories import BEARING, MOTOR, seed_mismatched_order, seed_order

AGENT = SellerAgent(agent_id=7, rights=frozenset({StaffPermission.VIEW}), session_id=0)
DAY = date(2026, 3, 2)


class SpyErp:
    """The embedded ERP, noting every customer number it is asked about."""

    def __init__(self, inner: EmbeddedErpClient) -> None:
        self.inner = inner
        self.customers: list[str] = []
        self.down = False

    def _ask(self, customer_number: str) -> None:
        if self.down:
            raise ErpUnavailable("down")
        self.customers.append(customer_number)

    def get_offers(
        self,
        customer_number: str,
        skus: Sequence[str],
        *,
        quantities: Mapping[str, int] | None = None,
        day: date | None = None,
    ) -> dict[str, ErpProductOffer]:
        self._ask(customer_number)
        return self.inner.get_offers(customer_number, skus, quantities=quantities, day=day)

    def list_contract_prices(self, customer_number: str, sku: str) -> list[ErpPrice]:
        self._ask(customer_number)
        return self.inner.list_contract_prices(customer_number, sku)


@pytest.fixture
def shop(session, db):
    import_erp_directory(db, demo_data_dir())
    mueller = make_company(session, "10001", "Müller Maschinenbau GmbH")
    acme = make_company(session, "10002", "Acme Industrial Supply Ltd")
    ben = make_user(session, mueller.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    session.commit()
    return {"mueller": mueller, "acme": acme, "ben": ben, "erp": SpyErp(EmbeddedErpClient(db))}


def _looks(session) -> list[AuditEntry]:
    return list(
        session.exec(select(AuditEntry).where(AuditEntry.action == "seller.checked_prices"))
    )


def test_a_product_is_priced_with_the_customers_contract_of_the_day(session, shop) -> None:
    erp, company = shop["erp"], shop["mueller"].company_id
    check = price_check(session, AGENT, erp=erp, company_id=company, sku=" brg-6205-2rs", day=DAY)
    assert (check.sku, check.quantity, check.day) == (BEARING, 1, DAY)
    assert (check.quote.amount, check.quote.source) == (Decimal("7.45"), PriceSource.CONTRACT)
    assert (check.quote.valid_from, check.quote.valid_to) == (date(2026, 1, 1), None)
    assert (check.list_price, check.list_currency) == (Decimal("8.90"), "EUR")
    assert [(t.price, t.min_quantity) for t in check.terms] == [
        (Decimal("7.90"), 1),
        (Decimal("7.45"), 1),
        (Decimal("6.95"), 100),
    ]
    assert set(erp.customers) == {"10001"}  # the customer's number, nothing of the agent

    at_break = price_check(
        session, AGENT, erp=erp, company_id=str(company), sku=BEARING, quantity="100", day=DAY
    )
    assert (at_break.quote.amount, at_break.quote.source, at_break.quote.min_quantity) == (
        Decimal("6.95"),
        PriceSource.QUANTITY_BREAK,
        100,
    )
    older = price_check(
        session, AGENT, erp=erp, company_id=company, sku=BEARING, day=date(2025, 5, 1)
    )
    assert (older.quote.amount, older.quote.valid_to) == (Decimal("7.90"), date(2025, 12, 31))


def test_another_customer_gets_its_own_price(session, shop) -> None:
    acme = shop["acme"].company_id
    check = price_check(session, AGENT, erp=shop["erp"], company_id=acme, sku=BEARING, day=DAY)
    assert (check.quote.amount, check.quote.source, check.terms) == (
        Decimal("8.90"),
        PriceSource.LIST,
        (),
    )
    hose = price_check(session, AGENT, erp=shop["erp"], company_id=acme, sku="HYD-HOSE-12-2M")
    assert hose.quote.amount == Decimal("42.00") and hose.list_price == Decimal("46.50")


def test_each_check_is_an_audited_look_of_the_agent(session, shop) -> None:
    company = shop["mueller"].company_id
    price_check(session, AGENT, erp=shop["erp"], company_id=company, sku=BEARING, day=DAY)
    session.commit()
    (look,) = _looks(session)
    assert (look.company_id, look.actor_kind, look.actor_ref, look.actor_user_id) == (
        company,
        PrincipalKind.SELLER_AGENT,
        7,
        None,
    )
    assert (look.target_type, look.target_id) == ("product", BEARING)
    assert look.after == {"quantity": 1, "day": "2026-03-02"}


def test_the_seeded_order_flags_the_bearings_priced_with_the_ended_contract(session, shop) -> None:
    company, ben = shop["mueller"].company_id, shop["ben"]
    order_id = seed_order(session, company, ben.id)
    check = order_price_check(
        session, AGENT, erp=shop["erp"], company_id=company, order_id=order_id
    )
    assert (check.order_id, check.revision, check.day, check.currency) == (
        order_id,
        1,
        date(2026, 2, 10),
        "EUR",
    )
    bearing, motor = check.lines
    assert (bearing.sku, bearing.quantity, bearing.stored_cents, bearing.expected_cents) == (
        BEARING,
        10,
        790,
        745,
    )
    assert (bearing.mismatch, bearing.difference_cents) == (True, 45)
    assert bearing.quote is not None and bearing.quote.valid_from == date(2026, 1, 1)
    assert (motor.sku, motor.mismatch, motor.difference_cents) == (MOTOR, False, 0)
    assert check.mismatches == [bearing]
    session.commit()
    (look,) = _looks(session)
    assert (look.target_type, look.target_id, look.after) == (
        "order",
        str(order_id),
        {"mismatches": 1},
    )


def test_an_order_priced_as_contracted_has_no_mismatch(session, shop) -> None:
    company, ben = shop["mueller"].company_id, shop["ben"]
    lines = ((BEARING, "Bearing", 100, 695), (MOTOR, "Motor", 2, 55900))
    order_id = seed_order(session, company, ben.id, lines=lines)
    check = order_price_check(
        session, AGENT, erp=shop["erp"], company_id=company, order_id=str(order_id)
    )
    assert [line.mismatch for line in check.lines] == [False, False]
    assert check.lines[0].quote.source is PriceSource.QUANTITY_BREAK  # type: ignore[union-attr]


def test_a_users_cart_is_priced_at_its_quantities(session, shop) -> None:
    company, ben = shop["mueller"].company_id, shop["ben"]
    session.add_all(
        [
            CartItem(company_id=company, user_id=ben.id, sku=BEARING, quantity=120),
            CartItem(company_id=company, user_id=ben.id, sku="GONE-1", quantity=1),
        ]
    )
    session.commit()
    check = cart_price_check(
        session, AGENT, erp=shop["erp"], company_id=company, user_id=ben.id, day=DAY
    )
    (line,) = check.lines
    assert (line.sku, line.quantity, line.quote.amount, line.quote.source) == (
        BEARING,
        120,
        Decimal("6.95"),
        PriceSource.QUANTITY_BREAK,
    )
    assert check.unavailable == ["GONE-1"]
    assert set(shop["erp"].customers) == {"10001"}


@pytest.mark.parametrize("bad", [None, 0, -1, "x", "1.5", True, 2**40])
def test_unknown_or_malformed_ids_are_not_found(session, shop, bad) -> None:
    with pytest.raises(ServiceError) as refused:
        price_check(session, AGENT, erp=shop["erp"], company_id=bad, sku=BEARING)
    assert refused.value.code == "prices.error.not_found"


def test_an_order_or_user_of_another_company_is_not_found(session, shop) -> None:
    mueller, acme, ben = shop["mueller"].company_id, shop["acme"].company_id, shop["ben"]
    order_id = seed_order(session, mueller, ben.id)
    for call in (
        lambda: order_price_check(
            session, AGENT, erp=shop["erp"], company_id=acme, order_id=order_id
        ),
        lambda: order_price_check(
            session, AGENT, erp=shop["erp"], company_id=mueller, order_id=order_id + 1
        ),
        lambda: cart_price_check(session, AGENT, erp=shop["erp"], company_id=acme, user_id=ben.id),
    ):
        with pytest.raises(ServiceError) as refused:
            call()
        assert refused.value.code == "prices.error.not_found"
    assert _looks(session) == []


def test_bad_input_is_refused_by_field(session, shop) -> None:
    company = shop["mueller"].company_id
    with pytest.raises(ValidationFailed) as refused:
        price_check(session, AGENT, erp=shop["erp"], company_id=company, sku=BEARING, quantity=0)
    assert refused.value.errors == {"quantity": ("prices.error.quantity", {})}
    with pytest.raises(ValidationFailed) as refused:
        price_check(session, AGENT, erp=shop["erp"], company_id=company, sku="  ")
    assert refused.value.errors == {"sku": ("prices.error.sku", {})}
    with pytest.raises(ValidationFailed) as refused:
        price_check(session, AGENT, erp=shop["erp"], company_id=company, sku="nope-1")
    assert refused.value.errors == {"sku": ("prices.error.unknown_sku", {"sku": "NOPE-1"})}


def test_an_unreachable_erp_is_a_message(session, shop) -> None:
    shop["erp"].down = True
    with pytest.raises(ServiceError) as refused:
        price_check(
            session, AGENT, erp=shop["erp"], company_id=shop["mueller"].company_id, sku=BEARING
        )
    assert refused.value.code == "prices.error.erp_unavailable"


def test_an_order_is_never_checked_against_last_known_prices(session, shop) -> None:
    """The HTTP ERP's cache answers while the ERP is down: a check needs the price now."""
    company, ben = shop["mueller"].company_id, shop["ben"]
    order_id = seed_order(session, company, ben.id, lines=((MOTOR, "Motor", 2, 55900),))
    inner = shop["erp"].inner

    def cached(customer_number, skus, *, quantities=None, day=None):  # type: ignore[no-untyped-def]
        offers = inner.get_offers(customer_number, skus, quantities=quantities, day=day)
        return {sku: CachedOffer(o.product, o.quote, age_seconds=600) for sku, o in offers.items()}

    shop["erp"].get_offers = cached
    with pytest.raises(ServiceError) as refused:
        order_price_check(
            session, AGENT, erp=shop["erp"], company_id=company, order_id=str(order_id)
        )
    assert refused.value.code == "prices.error.erp_unavailable"


def test_only_staff_with_the_view_right_may_check(session, shop) -> None:
    nobody = SellerAgent(agent_id=8, rights=frozenset())
    with pytest.raises(ServiceError) as refused:
        price_check(
            session, nobody, erp=shop["erp"], company_id=shop["mueller"].company_id, sku=BEARING
        )
    assert refused.value.code == "error.permission_denied"
    assert shop["erp"].customers == []


def test_the_browser_tests_seed_finds_the_company_by_customer_number(session, shop) -> None:
    order_id = seed_mismatched_order(session, "10001", "ben@mueller.example")
    company = shop["mueller"].company_id
    check = order_price_check(
        session, AGENT, erp=shop["erp"], company_id=company, order_id=order_id
    )
    assert [line.mismatch for line in check.lines] == [True, False]
    by_main_contact = seed_mismatched_order(session)
    assert by_main_contact != order_id
