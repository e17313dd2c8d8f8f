"""The Provisioning page's state through Reflex's real event pipeline: the main contact
creates, rotates and revokes tokens (the raw token shown once); forged events from another
company or without the right change nothing."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session, col, select

from customer_center.domain.permissions import Permission
from customer_center.models.identity import ScimToken
from customer_center.models.user import User
from customer_center.services.identity import scim_tokens
from customer_center.state.access import access_of
from customer_center.state.middleware import handler_functions
from customer_center.state.provisioning import ProvisioningState
from tests.factories import make_company, make_user, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")

HANDLERS = ("load", "create", "rotate", "revoke", "dismiss_new_token")
_tokens = itertools.count()


class Company:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.main = make_company(session, "A-1")
        self.raw = scim_tokens.create_token(session, self.main, label="Okta")
        self.token_id = session.exec(select(ScimToken.id)).one()
        self.technician = make_user(session, self.main.company_id, "t@a-1.example", ["technician"])
        other = make_company(session, "B-1")
        self.other_main = session.get(User, other.user_id)
        session.commit()

    def cookie(self, user: User | None = None) -> str:
        return signed_in_cookie(self.session, user or self.session.get(User, self.main.user_id))  # type: ignore[arg-type]

    async def send(
        self, handler: str, payload: dict | None = None, cookie: str = "", tab: str = ""
    ):  # type: ignore[no-untyped-def]
        name = f"{ProvisioningState.get_full_name()}.{handler}"
        tab = tab or f"provisioning-{next(_tokens)}"
        return await dispatch(tab, cookie or self.cookie(), name, payload or {}, {})

    def tokens(self) -> list[tuple[str, bool]]:
        """Company A's tokens: (label, still working)."""
        self.session.expire_all()
        rows = self.session.exec(
            select(ScimToken)
            .where(ScimToken.company_id == self.main.company_id)
            .order_by(col(ScimToken.id))
        )
        return [(t.label, t.revoked_at is None) for t in rows]

    def works(self, raw: str) -> bool:
        """Whether the token opens the SCIM endpoint (its last use is committed at once)."""
        works = scim_tokens.authenticate(self.session, raw) is not None
        self.session.commit()
        return works


@pytest.fixture
def company(session: Session) -> Company:
    return Company(session)


def test_every_handler_needs_company_manage() -> None:
    for handler in HANDLERS:
        fn = handler_functions()[f"{ProvisioningState.get_full_name()}.{handler}"]
        assert access_of(fn).permission == Permission.COMPANY_MANAGE  # type: ignore[union-attr]


async def test_the_main_contact_creates_rotates_and_revokes(company: Company) -> None:
    tab, cookie = "main-tab", company.cookie()
    state = await company.send("load", cookie=cookie, tab=tab)
    assert state.endpoint == "http://portal.test/scim/v2"
    assert [t["label"] for t in state.tokens] == ["Okta"] and state.new_token == ""
    state = await company.send("create", {"form": {"label": "Entra"}}, cookie, tab)
    assert state.new_token and state.new_token_label == "Entra"
    assert company.works(state.new_token)
    assert state.new_token not in str(state.tokens)
    state = await company.send("dismiss_new_token", cookie=cookie, tab=tab)
    assert state.new_token == ""
    state = await company.send("rotate", {"token_id": str(company.token_id)}, cookie, tab)
    assert state.new_token_label == "Okta"
    assert not company.works(company.raw)
    state = await company.send("create", {"form": {"label": "  "}}, cookie, tab)
    assert state.errors["label"] and state.new_token_label == "Okta"  # still shown
    newest = state.tokens[0]["id"]
    state = await company.send("revoke", {"token_id": newest}, cookie, tab)
    assert company.tokens() == [("Okta", False), ("Entra", True), ("Okta", False)]
    assert state.new_token == ""


async def test_forged_events_change_no_token(company: Company) -> None:
    attackers = {
        "other company": company.cookie(company.other_main),
        "no right": company.cookie(company.technician),
    }
    before = company.tokens()
    for who, cookie in attackers.items():
        for handler, payload in (
            ("rotate", {"token_id": str(company.token_id)}),
            ("revoke", {"token_id": str(company.token_id)}),
        ):
            state = await company.send(handler, payload, cookie)
            assert state.new_token == "", (who, handler)
    # The technician cannot create one either (another company's main contact may, for B).
    state = await company.send("create", {"form": {"label": "forged"}}, attackers["no right"])
    assert state.new_token == ""
    state = await company.send("revoke", {"token_id": "not a number"})
    assert state.errors["tokens"]
    assert company.tokens() == before
    assert company.works(company.raw)
