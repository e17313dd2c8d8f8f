"""A return Ben (buyer of the test shop) requested: 2 of 5 motors of a delivered order."""

from __future__ import annotations

from customer_center.services.returns import customer as returns
from customer_center.settings import get_settings
from tests.journey_factory import seed_delivered_order
from tests.order_factories import Shop


def return_of_ben(shop: Shop) -> tuple[int, int]:
    """The return's id and its order's id."""
    order = seed_delivered_order(
        shop.session, shop.main.company_id, shop.ben.id, lines=(("M-1", "Motor", 5, 1000),)
    )
    ben = shop.actor(shop.ben)
    [line] = returns.returnable(shop.session, ben, order_id=order.id, settings=get_settings()).lines
    return_id = returns.request_return(
        shop.session,
        ben,
        order_id=order.id,
        quantities={str(line.id): "2"},
        settings=get_settings(),
        kind="goods",
        reason="damaged",
        condition="unopened",
        outcome="credit",
    )
    shop.session.commit()
    return return_id, order.id  # type: ignore[return-value]
