"""Company activation: the request form and the confirmation link with the password."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from reflex.event import EventSpec
from sqlmodel import Session

from customer_center.domain.errors import ServiceError
from customer_center.services.identity import accounts, activation
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings
from customer_center.state.access import public
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.sign_in import asking_browser, go_to_ticket


class ActivationState(PortalState):
    errors: dict[str, str] = {}
    sent_to: str = ""
    busy: bool = False

    @public
    def load(self) -> None:
        self.errors = {}
        self.sent_to = ""

    @public
    async def submit(self, form: dict) -> AsyncIterator[None]:
        request = activation.ActivationRequest(
            customer_number=text_field(form, "customer_number", 64),
            invoice_number=text_field(form, "invoice_number", 64),
            email=text_field(form, "email", 254),
            ip_address=self._client_ip(),
            language=self.lang,
        )
        self.errors = {}
        self.busy = True
        yield
        await _hold_if_under_attack(request)
        try:
            await in_transaction(
                activation.request_activation, erp_client(), get_settings(), request
            )
        except ServiceError as error:
            if error.code in ("activation.mismatch", "activation.already_active"):
                await in_transaction(activation.record_failure, request)
            self.errors = field_errors(error, self.lang)
            self.busy = False
            return
        self.busy = False
        self.sent_to = request.email.strip()


async def _hold_if_under_attack(request: activation.ActivationRequest) -> None:
    """Slow attempts for a customer down while many addresses get its details wrong; the
    wait happens on the event loop, so it holds only this tab, not a worker thread."""
    seconds = await in_transaction(activation.slowdown_seconds, request)
    if seconds:
        await asyncio.sleep(seconds)


class ActivationConfirmState(PortalState):
    errors: dict[str, str] = {}
    link_error: str = ""
    company_name: str = ""
    email: str = ""
    suggested_name: str = ""

    @public
    async def load(self) -> None:
        self.errors, self.link_error = {}, ""
        try:
            pending = await in_transaction(
                activation.pending_activation, erp_client(), self._query("token")
            )
        except ServiceError as error:
            self.link_error = self._t(error.code)
            return
        self.company_name = pending.company_name
        self.email = pending.email
        self.suggested_name = pending.suggested_name

    @public
    async def submit(self, form: dict) -> EventSpec | None:
        self.errors = {}
        try:
            ticket = await in_transaction(
                _activate_and_ticket,
                raw_token=self._query("token"),
                name=text_field(form, "name", 200),
                password=text_field(form, "password"),
                password_repeat=text_field(form, "password_repeat"),
                ip_address=self._client_ip(),
                browser=asking_browser(self),
            )
        except ServiceError as error:
            if error.code.startswith("link.") or error.code.startswith("activation."):
                self.link_error = self._t(error.code)
            self.errors = field_errors(error, self.lang)
            return None
        return go_to_ticket(ticket)


def _activate_and_ticket(session: Session, *, browser: str, **kwargs: Any) -> str:
    user = activation.complete_activation(session, erp_client(), **kwargs)
    return accounts.issue_sign_in_ticket(session, user, browser)
