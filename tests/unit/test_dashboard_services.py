"""The dashboard's facts: mine (open orders, budget left, waiting, unread), the main
contact's setup and company view, the controller's month."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import EventKind
from customer_center.domain.people import UserStatus
from customer_center.integrations.erp.protocol import ErpContact
from customer_center.models.identity import SsoConfig
from customer_center.models.order import OrderEvent
from customer_center.services.dashboard.controller import controller_view
from customer_center.services.dashboard.everyone import my_day
from customer_center.services.dashboard.main_contact import company_view
from customer_center.services.orders.conversation import add_comment
from customer_center.services.orders.unread import mark_read, unread_of
from customer_center.settings import get_settings
from tests.factories import make_user
from tests.order_factories import Shop

SETTINGS = get_settings()


@dataclass
class ContactsErp:
    contacts: list[ErpContact]

    def list_contacts(self, customer_number: str) -> list[ErpContact]:
        return [c for c in self.contacts if c.customer_number == customer_number]


@pytest.fixture
def shop(session) -> Shop:
    return Shop.create(session)


def test_my_day_shows_my_open_orders_budget_and_nothing_waiting(shop):
    shop.limit(shop.ben, monthly=500_000)
    placed = shop.order()

    day = my_day(shop.session, shop.actor(shop.ben))

    assert [o.order_id for o in day.open_orders] == [placed.order_id]
    assert day.open_count == 1
    assert day.budget.remaining_cents is not None
    assert day.budget.remaining_cents < 500_000
    assert (day.waiting_count, day.oldest_waiting) == (0, None)
    assert day.has_ordered
    assert day.main_contact is not None and day.main_contact.email == "main@c-1.example"


def test_an_approver_sees_how_many_wait_and_the_oldest(shop):
    shop.limit(shop.ben, max_value=10_000)
    shop.chain(("any", [shop.anna]))
    first = shop.order()
    shop.order()

    day = my_day(shop.session, shop.actor(shop.anna))

    assert day.waiting_count == 2
    assert day.oldest_waiting is not None
    assert day.oldest_waiting.order_id == first.order_id
    assert not day.has_ordered  # a newcomer: the dashboard says what she may do


def test_messages_of_others_are_unread_until_the_order_is_opened(shop):
    shop.limit(shop.ben, max_value=10_000)
    shop.chain(("any", [shop.anna]))
    placed = shop.order()
    add_comment(
        shop.session,
        shop.actor(shop.anna),
        settings=SETTINGS,
        order_id=placed.order_id,
        text="Why 2?",
    )
    add_comment(
        shop.session,
        shop.actor(shop.anna),
        settings=SETTINGS,
        order_id=placed.order_id,
        text="Hello?",
    )
    add_comment(
        shop.session,
        shop.actor(shop.ben),
        settings=SETTINGS,
        order_id=placed.order_id,
        text="Spares.",
    )
    shop.session.commit()
    ben = shop.actor(shop.ben)

    found = unread_of(shop.session, ben)
    assert (found.messages, found.orders, found.latest_order_id) == (2, 1, placed.order_id)
    assert unread_of(shop.session, shop.actor(shop.anna)).messages == 1  # Ben's answer
    assert unread_of(shop.session, shop.actor(shop.carl)).messages == 0  # not involved

    mark_read(shop.session, ben, order_id=placed.order_id)
    shop.session.commit()
    assert unread_of(shop.session, ben).messages == 0
    add_comment(
        shop.session, shop.actor(shop.anna), settings=SETTINGS, order_id=placed.order_id, text="Ok."
    )
    shop.session.commit()
    assert unread_of(shop.session, ben).messages == 1


def test_unread_counts_stay_within_the_company(shop):
    other = make_user(shop.session, shop.other_main.company_id, "o@other.example", ["buyer"])
    shop.session.commit()
    assert unread_of(shop.session, shop.actor(other)).messages == 0
    mark_read(shop.session, shop.actor(other), order_id=999_999)  # nothing of another's


def test_the_main_contact_sees_the_setup_until_it_is_done(shop):
    erp = ContactsErp([ErpContact("7", "C-1", "Ida Import", "ida@acme.example", "buyer")])

    view = company_view(shop.session, shop.main, erp=erp)
    steps = {s.code: s.done for s in view.setup}
    assert steps == {"default_budget": False, "approver": True, "erp_users": False, "sso": False}

    shop.limit(max_value=100_000)
    shop.session.add(SsoConfig(company_id=shop.main.company_id, issuer="https://i", client_id="c"))
    make_user(shop.session, shop.main.company_id, "ida@acme.example", ["buyer"])
    shop.session.commit()
    done = company_view(shop.session, shop.main, erp=erp)
    assert all(step.done for step in done.setup)


def test_without_approvers_the_step_stays_open(session):
    shop = Shop.create(session)
    for user in (shop.anna, shop.carl):
        user.status = UserStatus.INACTIVE
        session.add(user)
    session.commit()
    view = company_view(session, shop.main, erp=ContactsErp([]))
    assert {s.code: s.done for s in view.setup}["approver"] is False


def test_invited_users_and_the_longest_waiting_approvals(shop):
    make_user(shop.session, shop.main.company_id, "new@acme.example", [], status="invited")
    shop.limit(shop.ben, max_value=10_000)
    shop.chain(("any", [shop.anna]))
    placed = shop.order()

    view = company_view(shop.session, shop.main, erp=ContactsErp([]))

    assert [p.email for p in view.invited] == ["new@acme.example"]
    assert view.invited_count == 1
    assert [w.order_id for w in view.longest_waiting] == [placed.order_id]


def test_only_the_main_contact_gets_the_company_view(shop):
    with pytest.raises(ServiceError):
        company_view(shop.session, shop.actor(shop.anna), erp=ContactsErp([]))


def test_the_controller_sees_this_month_and_why_orders_went_over(shop):
    shop.limit(shop.ben, max_value=10_000)
    shop.chain(("any", [shop.anna]))
    shop.order()  # waits: reserved, not spent
    shop.order(shop.anna)  # an approver's own order within no limit: spent

    view = controller_view(shop.session, shop.main)

    assert view.this_month_cents > 0
    assert view.last_month_cents == 0
    assert [(r.kind, r.orders) for r in view.reasons] == [("order_value", 1)]
    assert view.over_budget_orders == 1


def test_the_controller_counts_each_limit_once_per_submission_in_sql(shop):
    """Every submission of the month counts (no cap), a limit once per submission, a
    resubmitted order once among the orders over budget; malformed reasons are skipped."""
    order_id = shop.order(shop.anna).order_id
    other_id = shop.order(shop.anna).order_id
    month = {"kind": "period_budget", "period": "month"}
    submissions = [
        (order_id, [{"kind": "order_value"}, month, month]),
        (order_id, [{"kind": "order_value"}]),  # resubmitted: the same order again
        (other_id, [{"kind": "period_budget", "period": "year"}, "not a reason", {"x": 1}]),
        (other_id, {"kind": "order_value"}),  # reasons that are not a list
    ]
    for target, reasons in submissions:
        shop.session.add(
            OrderEvent(
                company_id=shop.main.company_id,
                order_id=target,
                kind=EventKind.SUBMITTED,
                data={"reasons": reasons},
            )
        )
    shop.session.commit()

    view = controller_view(shop.session, shop.main)

    assert [(r.kind, r.period, r.orders) for r in view.reasons] == [
        ("order_value", None, 2),
        ("period_budget", "month", 1),
        ("period_budget", "year", 1),
    ]
    assert view.over_budget_orders == 2


def test_the_controller_view_needs_reports(shop):
    with pytest.raises(ServiceError):
        controller_view(shop.session, shop.actor(shop.ben))
