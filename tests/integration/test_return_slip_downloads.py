"""GET /returns/slips/<id>.pdf and /seller/returns/slips/<id>.pdf on a real server: Ben and
the account team's agent download the slip of an approved return as an attachment; another
company, an agent outside the team, a return without an RMA number, forged ids and a
signed-out browser are refused, the refusals alike."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session

from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.domain import routes as addresses
from customer_center.http.return_slips import routes
from customer_center.models.staff import AccountTeamMember
from customer_center.models.user import User
from customer_center.services.returns import customer, seller
from customer_center.settings import get_settings
from tests.factories import actor_for, make_company, make_user, signed_in_cookie
from tests.journey_factory import seed_delivered_order
from tests.live_server import live_server
from tests.pdf_check import page_text, pdf_objects
from tests.staff_factories import agent_for, make_staff, staff_cookie


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    with live_server(routes) as found:
        yield found


@pytest.fixture
def approved(db, session: Session):  # type: ignore[no-untyped-def]
    main = make_company(session, "10001", "Müller Maschinenbau GmbH")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    other = make_company(session, "10002", "Acme Industrial Supply Ltd")
    order = seed_delivered_order(
        session, main.company_id, ben.id, lines=(("BRG-6205-2RS", "Bearing 6205", 5, 745),)
    )
    eva = make_staff(session, "eva@seller.example", name="Eva Ernst")
    otto = make_staff(session, "otto@seller.example", name="Otto Other")
    session.add(AccountTeamMember(company_id=main.company_id, staff_id=eva.id, team_role="agent"))
    session.commit()
    line = customer.returnable(
        session, actor_for(session, ben), order_id=order.id, settings=get_settings()
    ).lines[0]

    def ask() -> int:
        return customer.request_return(
            session,
            actor_for(session, ben),
            order_id=order.id,
            kind="goods",
            reason="damaged",
            condition="unopened",
            outcome="credit",
            quantities={str(line.id): "1"},
            settings=get_settings(),
        )

    first, second = ask(), ask()
    rma = seller.approve(session, agent_for(session, eva), return_id=first)
    session.commit()
    stranger = session.get(User, other.user_id)
    return first, second, rma, ben, stranger, eva, otto


def _get(address: str, path: str, cookies: dict[str, str]) -> httpx.Response:
    return httpx.get(address + path, cookies=cookies)


def test_ben_and_the_team_download_the_slip_others_are_refused(
    approved, session: Session, address: str
) -> None:
    first, second, rma, ben, stranger, eva, otto = approved
    mine = {SESSION_COOKIE: signed_in_cookie(session, ben)}
    response = _get(address, addresses.return_slip_path(first), mine)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="{rma}.pdf"'
    assert "no-store" in response.headers["cache-control"]
    text = page_text(pdf_objects(response.content))
    assert rma in text and f"*{rma}*" in text and "BRG-6205-2RS" in text
    team = {STAFF_COOKIE: staff_cookie(session, eva)}
    assert _get(address, addresses.return_slip_path(first, seller=True), team).status_code == 200
    theirs = {SESSION_COOKIE: signed_in_cookie(session, stranger)}
    outsider = {STAFF_COOKIE: staff_cookie(session, otto)}
    refusals = [
        _get(address, addresses.return_slip_path(first), theirs),
        _get(address, addresses.return_slip_path(second), mine),  # not approved: no slip
        _get(address, addresses.return_slip_path(first, seller=True), outsider),
        _get(address, addresses.return_slip_path(first, seller=True), mine),  # no staff cookie
        _get(address, f"{addresses.RETURN_SLIPS}/99999.pdf", mine),
        _get(address, f"{addresses.RETURN_SLIPS}/1x.pdf", mine),
    ]
    assert [r.status_code for r in refusals] == [403, 403, 403, 401, 403, 403]
    assert len({r.text for r in refusals if r.status_code == 403}) == 1
    assert not any(r.content.startswith(b"%PDF") for r in refusals)
    assert _get(address, addresses.return_slip_path(first), {}).status_code == 401
