"""Taking over ERP contacts through Reflex's real event pipeline: pages, ticks, invitation."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session, select

from customer_center.domain.people import UserStatus
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.models.user import User
from customer_center.services.people import erp_contacts
from customer_center.state.erp_contacts import ErpContactsState
from tests.factories import make_company, make_user, role_id, signed_in_cookie
from tests.state.test_forged_events import dispatch

S = ErpContactsState
_tokens = itertools.count()


@pytest.fixture
def fabrikat(session: Session, db):  # type: ignore[no-untyped-def]
    import_erp_directory(db, demo_data_dir())
    main = make_company(session, "10004", "Fabrikat Werkzeugbau GmbH")
    buyer = make_user(session, main.company_id, "bea@fabrikat-werkzeugbau.example", ["buyer"])
    session.commit()
    return main, buyer


def _cookie(session: Session, user_id: int) -> str:
    return signed_in_cookie(session, session.get(User, user_id))  # type: ignore[arg-type]


async def _send(token: str, cookie: str, handler: str, payload: dict | None = None) -> S:
    return await dispatch(token, cookie, f"{S.get_full_name()}.{handler}", payload or {}, {})  # type: ignore[return-value]


def _invited(session: Session) -> list[str]:
    session.expire_all()
    return sorted(session.exec(select(User.name).where(User.status == UserStatus.INVITED)).all())


async def test_pages_ticks_and_invitation(
    session: Session, fabrikat, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    main, _buyer = fabrikat
    monkeypatch.setattr(erp_contacts, "PAGE_SIZE", 2)
    token, cookie = f"erp-{next(_tokens)}", _cookie(session, main.user_id)
    state = await _send(token, cookie, "load")
    assert [c["name"] for c in state.contacts] == ["Frieda Fabrikat", "Gregor Gans"]
    assert (state.total, state.page_count) == (5, 3)
    state = await _send(token, cookie, "next_page")
    assert [c["name"] for c in state.contacts] == ["Hanna Holz", "Igor Iwanow"]
    state = await _send(token, cookie, "mark", {"contact_id": "C-10004-3", "checked": True})
    state = await _send(token, cookie, "mark", {"contact_id": "C-10001-2", "checked": True})
    assert state.selected == ["C-10004-3"]  # only ids shown on the page
    buyer_role = role_id(session, main.company_id, "buyer")
    form = {"contact:C-10004-3": "on", f"role_{buyer_role}": "on", "language": "de"}
    await _send(token, cookie, "invite", {"form": form})
    assert _invited(session) == ["Hanna Holz"]


async def test_forged_keys_and_users_without_the_right_invite_nobody(
    session: Session, fabrikat
) -> None:  # type: ignore[no-untyped-def]
    main, buyer = fabrikat
    buyer_role = role_id(session, main.company_id, "buyer")
    forged = {"contact:C-10001-2": "on", f"role_{buyer_role}": "on"}
    state = await _send(
        f"erp-{next(_tokens)}", _cookie(session, main.user_id), "invite", {"form": forged}
    )
    assert "not a contact of your company" in state.errors[""]
    honest = {"contact:C-10004-2": "on", f"role_{buyer_role}": "on"}
    await _send(f"erp-{next(_tokens)}", _cookie(session, buyer.id), "invite", {"form": honest})  # type: ignore[arg-type]
    assert _invited(session) == []
