"""The console's contract price check (``/seller/companies/[company_id]/prices``,
``seller.view``): the price a customer sees for a product and quantity (on a day), and the
prices of a user's cart. Each check runs when its form is submitted (each run is audited in
the customer's log), never per keystroke; prices are asked with the customer's context."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import parse_date, parse_id
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.presenters.prices import cart_check_view, price_check_view
from customer_center.services.people.names import names_of
from customer_center.services.seller.company_head import (
    CompanyHead,
    company_head,
    company_users_to_pick,
)
from customer_center.services.seller.prices import (
    NOT_FOUND,
    CartPriceCheck,
    cart_price_check,
    price_check,
)
from customer_center.services.wiring import erp_client
from customer_center.state.access import staff
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field

VIEW = StaffPermission.VIEW
PICK_USER = "seller_orders.prices.error.user"


def _head_and_users(
    session: Session, agent: SellerAgent, *, company_id: int, search: str = ""
) -> tuple[CompanyHead, list[tuple[int, str]]]:
    head = company_head(session, agent, company_id=company_id)
    users = company_users_to_pick(session, agent, company_id=company_id, search=search)
    return head, users


def _cart_of(
    session: Session, agent: SellerAgent, *, company_id: int, user_id: int, day: date | None
) -> tuple[CartPriceCheck, str]:
    """The user's cart priced for the customer, and the user's name."""
    check = cart_price_check(
        session, agent, erp=erp_client(), company_id=company_id, user_id=user_id, day=day
    )
    return check, names_of(session, company_id, [user_id]).get(user_id, "")


def _day(form: object, name: str = "day") -> date | None:
    """The optional day of a check; a day that is not one is refused next to its field."""
    text = text_field(form, name, 40).strip()
    if not text:
        return None
    day = parse_date(text)
    if day is None:
        raise ValidationFailed({name: ("seller_orders.prices.error.day", {})})
    return day


class SellerPricesState(PortalState):
    company_id: str = ""
    company_name: str = ""
    loaded: bool = False
    problem: str = ""
    # The product check: its form's errors, its result and the product's contract rows.
    errors: dict[str, str] = {}
    result: dict[str, str] = {}
    terms: list[dict[str, str]] = []
    # The cart check: the company's users to pick, the search narrowing them, the result.
    users: list[dict[str, str]] = []
    user_search: str = ""
    cart_errors: dict[str, str] = {}
    cart_user: str = ""
    cart_day: str = ""
    cart_lines: list[dict[str, str]] = []
    cart_unavailable: str = ""
    cart_checked: bool = False

    def _company_id(self) -> int:
        """The company of the page's address (0: none); the services check it."""
        return self._query_id("company_id") or 0

    def _users(self, users: list[tuple[int, str]]) -> None:
        self.users = [{"id": str(user_id), "name": name} for user_id, name in users]

    @staff(VIEW)
    async def load(self) -> None:
        self.errors, self.result, self.terms = {}, {}, []
        self.cart_errors, self.cart_lines, self.cart_unavailable = {}, [], ""
        self.cart_user, self.cart_day, self.cart_checked, self.user_search = "", "", False, ""
        try:
            head, users = await in_transaction(
                _head_and_users, self._agent(), company_id=self._company_id()
            )
        except ServiceError as error:
            self.company_id, self.company_name, self.users = "", "", []
            self.loaded, self.problem = True, self._t(error.code)
            return
        self.company_id, self.company_name = str(head.company_id), head.name
        self._users(users)
        self.loaded, self.problem = True, ""

    @staff(VIEW)
    async def check_price(self, form: dict) -> None:
        if not self._company_id():
            return
        self.errors, self.result, self.terms = {}, {}, []
        try:
            check = await in_transaction(
                price_check,
                self._agent(),
                erp=erp_client(),
                company_id=self._company_id(),
                sku=text_field(form, "sku", 100),
                quantity=text_field(form, "quantity", 40).strip() or "1",
                day=_day(form),
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        view = price_check_view(check, self.lang)
        self.terms = view.pop("terms")
        self.result = {key: str(value) for key, value in view.items()}

    @staff(VIEW)
    async def find_users(self, form: dict) -> None:
        """Narrow the users to pick by name or e-mail (on submit of the search)."""
        if not self._company_id():
            return
        self.user_search = text_field(form, "user_search", 100).strip()
        try:
            _head, users = await in_transaction(
                _head_and_users,
                self._agent(),
                company_id=self._company_id(),
                search=self.user_search,
            )
        except ServiceError as error:
            self.cart_errors = field_errors(error, self.lang)
            return
        self._users(users)

    @staff(VIEW)
    async def check_cart(self, form: dict) -> None:
        if not self._company_id():
            return
        self.cart_errors, self.cart_lines, self.cart_unavailable = {}, [], ""
        self.cart_user, self.cart_day, self.cart_checked = "", "", False
        user_id = parse_id(text_field(form, "user", 20))
        if user_id is None:
            self.cart_errors = {"user": self._t(PICK_USER)}
            return
        try:
            check, name = await in_transaction(
                _cart_of,
                self._agent(),
                company_id=self._company_id(),
                user_id=user_id,
                day=_day(form, "cart_day"),
            )
        except ServiceError as error:
            if error.code == NOT_FOUND:  # no user of this company
                self.cart_errors = {"user": self._t(PICK_USER)}
            else:
                self.cart_errors = field_errors(error, self.lang)
            return
        view = cart_check_view(check, self.lang)
        self.cart_user, self.cart_day = name, view["day"]
        self.cart_lines = [
            {key: str(value) for key, value in line.items() if key != "terms"}
            for line in view["lines"]
        ]
        self.cart_unavailable, self.cart_checked = view["unavailable"], True
