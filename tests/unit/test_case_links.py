"""A case about a return ("Ask about this return"): linked to the return and its order when
the asker may see the return; another company's return, or a colleague's the asker may not
see, is a field error and nothing is saved."""

from __future__ import annotations

import pytest
from sqlmodel import select

from customer_center.domain.errors import ValidationFailed
from customer_center.models.case import SupportCase
from customer_center.presenters.cases import head as case_head
from customer_center.services.cases import customer as cases
from customer_center.settings import get_settings
from tests.order_factories import Shop
from tests.return_factory import return_of_ben

SETTINGS = get_settings()


@pytest.fixture
def shop(session) -> Shop:  # type: ignore[no-untyped-def]
    return Shop.create(session)


def _open(shop: Shop, principal, return_id: object) -> int:  # type: ignore[no-untyped-def]
    return cases.open_case(
        shop.session,
        principal,
        subject="Where is my credit?",
        category="invoice",
        description="The motors went back last week.",
        return_id=return_id,
        settings=SETTINGS,
    )


def test_a_case_about_a_return_links_the_return_and_its_order(shop: Shop) -> None:
    return_id, order_id = return_of_ben(shop)
    ben = shop.actor(shop.ben)
    case_id = _open(shop, ben, str(return_id))
    case = shop.session.get(SupportCase, case_id)
    assert case is not None and (case.return_id, case.order_id) == (return_id, order_id)
    view = cases.read_case(shop.session, ben, case_id=case_id, settings=SETTINGS)
    head = case_head(view, "en", seller=False)
    assert head["return"] == f"About return RT-{return_id:06d}"
    assert head["return_href"] == f"/returns/{return_id}"
    assert head["order_href"] == f"/orders/{order_id}"
    german = case_head(view, "de", seller=True)
    assert german["return"] == f"Zur Retoure RT-{return_id:06d}"
    assert german["return_href"] == f"/seller/returns/{return_id}"


def test_another_companys_or_a_hidden_return_is_refused_and_nothing_saved(shop: Shop) -> None:
    return_id, _ = return_of_ben(shop)
    carl = shop.actor(shop.carl)  # an approver sees the company's returns: allowed
    assert shop.session.get(SupportCase, _open(shop, carl, return_id)).return_id == return_id  # type: ignore[union-attr]
    before = len(shop.session.exec(select(SupportCase)).all())
    for outsider, wanted in (
        (shop.other_main, return_id),  # another company's return
        (shop.actor(shop.tina), return_id),  # a colleague's she may not see
        (shop.actor(shop.ben), "999999"),
        (shop.actor(shop.ben), "1 OR 1=1"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            _open(shop, outsider, wanted)
        assert refused.value.errors["order"][0] == "cases.error.return_not_found"
    assert len(shop.session.exec(select(SupportCase)).all()) == before
