"""GET /case-files/<id> and /seller/case-files/<id> on a real server: Ben downloads the PDF
he attached, as an attachment with its sniffed type and nosniff; Eva of the account team
gets the file of her internal note; everything else (the note's file for Ben, another
company, a colleague who may not see the case, a staff member outside the team, a staff
cookie on the customer's route, an unknown id) gets the same 403, signed out 401."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session

from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.domain import routes as addresses
from customer_center.http.case_files import routes
from customer_center.models.staff import AccountTeamMember
from customer_center.models.user import User
from customer_center.services.cases import customer, seller
from tests.factories import actor_for, make_company, make_user, signed_in_cookie
from tests.live_server import live_server
from tests.staff_factories import agent_for, make_staff, staff_cookie

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    with live_server(routes) as found:
        yield found


@pytest.fixture
def world(db, session: Session):  # type: ignore[no-untyped-def]
    main = make_company(session, "A-1", "Acme GmbH")
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    tina = make_user(session, main.company_id, "tina@acme.example", ["technician"])
    other = session.get(User, make_company(session, "B-1", "Other AG").user_id)
    eva = make_staff(session, "eva@seller.example", name="Eva Ernst")
    otto = make_staff(session, "otto@seller.example", name="Otto Outside")
    session.add(AccountTeamMember(company_id=main.company_id, staff_id=eva.id, team_role="agent"))
    session.commit()
    ben_actor, agent = actor_for(session, ben), agent_for(session, eva)
    (pdf,) = customer.stage_files(
        session, ben_actor, staged=[], files=[('Angebot "März".pdf', PDF)]
    )
    case_id = customer.open_case(
        session, ben_actor, subject="S", category="delivery", description="D", files=[pdf.id]
    )
    (png,) = seller.stage_files(session, agent, case_id=case_id, staged=[], files=[("a.png", PNG)])
    seller.add_note(session, agent, case_id=case_id, text="note", files=[png.id])
    session.commit()
    cookies = {
        "ben": {SESSION_COOKIE: signed_in_cookie(session, ben)},
        "tina": {SESSION_COOKIE: signed_in_cookie(session, tina)},
        "other": {SESSION_COOKIE: signed_in_cookie(session, other)},  # type: ignore[arg-type]
        "eva": {STAFF_COOKIE: staff_cookie(session, eva)},
        "otto": {STAFF_COOKIE: staff_cookie(session, otto)},
    }
    return pdf.id, png.id, cookies


def _get(address: str, file_id: int | str, cookies: dict, *, seller: bool = False):  # type: ignore[no-untyped-def]
    path = addresses.case_file(0, seller=seller).removesuffix("0") + str(file_id)
    return httpx.get(address + path, cookies=cookies)


def test_the_files_go_out_as_attachments_to_those_who_may_read_them(world, address: str) -> None:
    pdf, png, cookies = world
    mine = _get(address, pdf, cookies["ben"])
    assert mine.status_code == 200 and mine.content == PDF
    assert mine.headers["content-type"] == "application/pdf"
    assert mine.headers["x-content-type-options"] == "nosniff"
    assert mine.headers["content-disposition"] == (
        "attachment; filename=\"Angebot _M_rz_.pdf\"; filename*=UTF-8''Angebot%20_M%C3%A4rz_.pdf"
    )
    assert "sandbox" in mine.headers["content-security-policy"]
    assert "no-store" in mine.headers["cache-control"]
    note = _get(address, png, cookies["eva"], seller=True)
    assert note.status_code == 200 and note.content == PNG
    assert note.headers["content-type"] == "image/png"
    assert _get(address, pdf, cookies["eva"], seller=True).content == PDF


def test_everything_else_is_refused_alike(world, address: str) -> None:
    pdf, png, cookies = world
    refusals = [
        _get(address, png, cookies["ben"]),  # the seller's note's file
        _get(address, pdf, cookies["other"]),  # another company
        _get(address, pdf, cookies["tina"]),  # a colleague who may not see the case
        _get(address, 999_999, cookies["ben"]),  # no such file
        _get(address, pdf, cookies["otto"], seller=True),  # staff outside the team
        _get(address, pdf, cookies["eva"]),  # a staff cookie on the customer's route
        _get(address, pdf, cookies["ben"], seller=True),  # a customer on the seller's route
    ]
    texts = {(r.status_code, r.text) for r in refusals[:5]}
    assert len(texts) == 1 and next(iter(texts))[0] == 403
    assert [r.status_code for r in refusals[5:]] == [401, 401]
    assert all("content-disposition" not in r.headers for r in refusals)
    assert _get(address, pdf, {}).status_code == 401
