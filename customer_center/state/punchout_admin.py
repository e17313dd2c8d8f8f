"""Punchout pages: the seller's console (``/seller/companies/[company_id]/punchout``: the
company's connections, a new one with its secret shown once, every session with what came in
and went back) and the main contact's view (``/company/punchout``, ``company.manage``)."""

from __future__ import annotations

from sqlmodel import Session

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser, SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.presenters.punchout import connection_rows, message_rows, session_rows
from customer_center.services.punchout import connections, visibility
from customer_center.services.punchout.connections import ConnectionForm
from customer_center.services.punchout.visibility import PAGE_SIZE, PunchoutPage
from customer_center.services.seller.company_head import company_head
from customer_center.state.access import requires, staff
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.paging import page_turners

VIEW = StaffPermission.VIEW
SETTINGS = StaffPermission.SETTINGS
MANAGE = Permission.COMPANY_MANAGE
FORM_FIELDS = ("name", "protocol", "identity_domain", "identity", "default_role", "role_field")


class PunchoutViewState(PortalState):
    """What both pages show: connections, a page of sessions, refused messages."""

    connections: list[dict[str, str]] = []
    sessions: list[dict[str, str]] = []
    refusals: list[dict[str, str]] = []
    page: int = 0
    has_next: bool = False
    loaded: bool = False
    problem: str = ""

    def _show(self, listing: PunchoutPage, found: list) -> None:
        lang = self.lang
        self.connections = connection_rows(found, lang)
        self.sessions = session_rows(listing.sessions, lang)
        self.refusals = message_rows(listing.errors, lang)
        self.has_next = (self.page + 1) * PAGE_SIZE < listing.total
        self.loaded, self.problem = True, ""


def _seller_view(
    session: Session, agent: SellerAgent, *, company_id: int, page: int
) -> tuple[str, PunchoutPage, list, list[tuple[str, str]]]:
    head = company_head(session, agent, company_id=company_id)
    listing = visibility.company_punchouts(session, agent, company_id=company_id, page=page)
    found = connections.company_connections(session, agent, company_id=company_id)
    roles = connections.roles_to_choose(session, agent, company_id=company_id)
    return head.name, listing, found, roles


class SellerPunchoutState(PunchoutViewState):
    company_id: str = ""
    company_name: str = ""
    roles: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    # The secret of the connection just created: shown once, gone with the next load.
    new_secret: str = ""
    new_secret_for: str = ""

    def _company_id(self) -> int:
        return self._query_id("company_id") or 0

    async def _reload(self) -> None:
        try:
            name, listing, found, roles = await in_transaction(
                _seller_view, self._agent(), company_id=self._company_id(), page=self.page
            )
        except ServiceError as error:
            self.company_id, self.company_name, self.sessions = "", "", []
            self.loaded, self.problem = True, self._t(error.code)
            return
        self.company_id, self.company_name = str(self._company_id()), name
        self.roles = [{"code": code, "name": label} for code, label in roles]
        self._show(listing, found)

    @staff(VIEW)
    async def load(self) -> None:
        self.page, self.errors, self.new_secret, self.new_secret_for = 0, {}, "", ""
        await self._reload()

    next_page, previous_page = page_turners(
        staff(VIEW), page_count=None, has_next="has_next", show="_reload"
    )

    @staff(SETTINGS)
    async def create(self, form: dict) -> None:
        self.errors, self.new_secret, self.new_secret_for = {}, "", ""
        values = {name: text_field(form, name, 200) for name in FORM_FIELDS}
        try:
            _id, secret = await in_transaction(
                connections.create_connection,
                self._agent(),
                company_id=self._company_id(),
                form=ConnectionForm(
                    **values,
                    role_mapping=text_field(form, "role_mapping", 5000),
                    user_field=text_field(form, "user_field", 100),
                    origins=text_field(form, "origins", 2000),
                ),
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self.new_secret, self.new_secret_for = secret, values["name"].strip()
        await self._reload()

    @staff(SETTINGS)
    def dismiss_secret(self) -> None:
        self.new_secret, self.new_secret_for = "", ""


def _own_view(session: Session, principal: CustomerUser, *, page: int) -> tuple[PunchoutPage, list]:
    listing = visibility.own_punchouts(session, principal, page=page)
    return listing, connections.own_connections(session, principal)


class CompanyPunchoutState(PunchoutViewState):
    async def _reload(self) -> None:
        try:
            listing, found = await in_transaction(_own_view, self._actor(), page=self.page)
        except ServiceError as error:
            self.loaded, self.problem = True, self._t(error.code)
            return
        self._show(listing, found)

    @requires(MANAGE)
    async def load(self) -> None:
        self.page = 0
        await self._reload()

    next_page, previous_page = page_turners(
        requires(MANAGE), page_count=None, has_next="has_next", show="_reload"
    )


class SellerAllPunchoutsState(PunchoutViewState):
    """The console's list of every punchout session (``/seller/punchout``)."""

    async def _reload(self) -> None:
        listing = await in_transaction(visibility.every_punchout, self._agent(), page=self.page)
        self._show(listing, [])

    @staff(VIEW)
    async def load(self) -> None:
        self.page = 0
        await self._reload()

    next_page, previous_page = page_turners(
        staff(VIEW), page_count=None, has_next="has_next", show="_reload"
    )
