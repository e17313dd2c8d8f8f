"""Orders for tests: an ERP answering from a dict, a company with budgets and a chain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from customer_center.domain.people import RuleScope
from customer_center.domain.prices import list_quote
from customer_center.domain.principals import CustomerUser
from customer_center.integrations.erp.protocol import ErpProduct, ErpProductOffer, ErpUnavailable
from customer_center.models.approval import ApprovalChain
from customer_center.models.budget import BudgetRule
from customer_center.models.user import User
from customer_center.services.orders.ordering import (
    Checkout,
    LineRequest,
    SubmitOutcome,
    submit_order,
)
from customer_center.settings import get_settings
from tests.factories import actor_for, make_company, make_user

PRICES = {"BOLT-M8": "0.50", "MOTOR-4KW": "612.00", "GLOVES-9": "6.40"}
ADDRESS = {
    "name": "Acme GmbH, Goods-in",
    "street": "Hafenstraße 1",
    "postal_code": "20457",
    "city": "Hamburg",
    "country": "DE",
}
CHECKOUT = Checkout(
    delivery_address=ADDRESS,
    billing_address={**ADDRESS, "name": "Acme GmbH, Accounts"},
    payment_method="invoice",
    shipping_method="standard",
    reference="PO-4711",
    comment="Please deliver before Friday.",
)


class FakeErp:
    """Offers from ``PRICES``; ``down`` makes every call fail like an unreachable ERP."""

    def __init__(self, prices: dict[str, str] | None = None, currency: str = "EUR") -> None:
        self.prices = prices or PRICES
        self.currency = currency
        self.down = False
        self.calls = 0

    def get_vat_rate(self, customer_number: str) -> Decimal | None:
        if self.down:
            raise ErpUnavailable("down")
        return Decimal("19.00")

    def get_offers(
        self,
        customer_number: str,
        skus: Sequence[str],
        *,
        quantities: Mapping[str, int] | None = None,
        day: date | None = None,
    ) -> dict[str, ErpProductOffer]:
        self.calls += 1
        if self.down:
            raise ErpUnavailable("down")
        found = {}
        for sku in skus:
            key = sku.strip().upper()
            if key in self.prices:
                price = Decimal(self.prices[key])
                product = ErpProduct(key, f"Product {key}", "", "pc", price, self.currency, None)
                found[key] = ErpProductOffer(product, list_quote(price, self.currency))
        return found


@dataclass
class Shop:
    """Acme: main contact, Ben (buyer, limited), Anna and Carl (approvers), Tina (technician),
    and Olga, main contact of another company."""

    session: Session
    main: CustomerUser
    ben: User
    anna: User
    carl: User
    tina: User
    other_main: CustomerUser
    erp: FakeErp

    @classmethod
    def create(cls, session: Session) -> Shop:
        main = make_company(session)
        company = main.company_id
        ben = make_user(session, company, "ben@acme.example", ["buyer"], name="Ben")
        anna = make_user(session, company, "anna@acme.example", ["approver"], name="Anna")
        carl = make_user(session, company, "carl@acme.example", ["approver"], name="Carl")
        tina = make_user(session, company, "tina@acme.example", ["technician"], name="Tina")
        other_main = make_company(session, "C-2", "Other AG")
        session.commit()
        return cls(session, main, ben, anna, carl, tina, other_main, FakeErp())

    def main_user(self) -> User:
        return self.session.get(User, self.main.user_id)  # type: ignore[return-value]

    def actor(self, user: User) -> CustomerUser:
        return actor_for(self.session, user)

    def limit(
        self,
        user: User | None = None,
        *,
        max_value: int | None = None,
        max_quantity: int | None = None,
        monthly: int | None = None,
    ) -> None:
        """Limits in cents for ``user`` (default: the company)."""
        self.session.add(
            BudgetRule(
                company_id=self.main.company_id,
                scope=RuleScope.USER if user else RuleScope.COMPANY,
                subject_id=user.id if user else 0,  # type: ignore[arg-type]
                max_order_value_cents=max_value,
                max_quantity_per_order=max_quantity,
                period="month" if monthly is not None else None,
                period_budget_cents=monthly,
            )
        )
        self.session.commit()

    def chain(self, *levels: tuple[str, list[User]], user: User | None = None) -> None:
        """Levels of (rule, approvers) as the company default (or ``user``'s own chain)."""
        self.session.add(
            ApprovalChain(
                company_id=self.main.company_id,
                scope=RuleScope.USER if user else RuleScope.COMPANY,
                subject_id=user.id if user else 0,  # type: ignore[arg-type]
                levels=[
                    {
                        "rule": rule,
                        "min_order_value_cents": None,
                        "approvers": [{"user_id": u.id} for u in people],
                    }
                    for rule, people in levels
                ],
            )
        )
        self.session.commit()

    def order(
        self,
        user: User | None = None,
        lines: dict[str, int] | None = None,
        checkout: Checkout = CHECKOUT,
    ) -> SubmitOutcome:
        """Submit (and commit) an order of ``user`` (default Ben)."""
        outcome = submit_order(
            self.session,
            self.actor(user or self.ben),
            settings=get_settings(),
            lines=[LineRequest(sku, q) for sku, q in (lines or {"MOTOR-4KW": 2}).items()],
            checkout=checkout,
            erp=self.erp,
        )
        self.session.commit()
        return outcome
