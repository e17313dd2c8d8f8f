"""The new-case form about a return through Reflex's real event pipeline: the return id comes
from the address, yet the service loads it by id and company, so Olga (another company) and a
forged id open no case about Ben's return."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from customer_center.models.case import SupportCase
from customer_center.state.cases import CaseNewState
from tests.factories import signed_in_cookie
from tests.order_factories import Shop
from tests.return_factory import return_of_ben
from tests.state.pipeline import Pipeline, event_name, session_cookie

pytestmark = pytest.mark.usefixtures("db")

FORM = {"subject": "Credit?", "category": "invoice", "description": "Where is it?"}
NEW_CASE = Pipeline(pathname="/cases/new")


async def _submit(engine, user, return_id: object) -> CaseNewState:  # type: ignore[no-untyped-def]
    with Session(engine, expire_on_commit=False) as session:
        cookie = session_cookie(signed_in_cookie(session, user))
    token = f"new-case-{user.email}-{return_id}"
    query = {"return": str(return_id)}
    await NEW_CASE.send(token, cookie, event_name(CaseNewState, "load"), {}, query)
    name = event_name(CaseNewState, "submit")
    return await NEW_CASE.send(token, cookie, name, {"form": FORM}, query)


def _linked(engine) -> list:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return [c.return_id for c in session.exec(select(SupportCase))]


async def test_a_forged_return_id_opens_no_case(session: Session, engine) -> None:
    shop = Shop.create(session)
    return_id, _ = return_of_ben(shop)
    olga = shop.session.get(type(shop.ben), shop.other_main.user_id)
    for user, wanted in ((olga, return_id), (shop.tina, return_id), (shop.ben, 10**9)):
        state = await _submit(engine, user, wanted)
        assert "return does not exist" in state.errors["order"]
    assert _linked(engine) == []
    state = await _submit(engine, shop.ben, return_id)
    assert state.errors == {}
    assert _linked(engine) == [return_id]
