"""Handing over the main-contact role: the request on a user's page, and the page behind the
link where the target accepts."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.i18n.formatting import format_moment
from customer_center.services.people import handover
from customer_center.settings import get_settings
from customer_center.state.access import customer_principal, own_account, public, signed_in
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.email_change import link_token

WRONG_PASSWORD = "account.handover.error.wrong_password"  # noqa: S105 - a message id


def _is_wrong_password(error: ServiceError) -> bool:
    return isinstance(error, ValidationFailed) and any(
        code == WRONG_PASSWORD for code, _params in error.errors.values()
    )


class HandoverState(PortalState):
    """Shown to the main contact on the page of another active user."""

    can_hand_over: bool = False
    target_name: str = ""
    pending_text: str = ""
    notice: str = ""
    dialog_open: bool = False
    errors: dict[str, str] = {}
    _target_id: int = 0

    async def _refresh(self) -> None:
        actor = self._actor()
        name = await in_transaction(
            handover.handover_candidate, actor, target_user_id=self._target_id
        )
        pending = await in_transaction(handover.pending_handover, actor)
        self.can_hand_over, self.target_name = name is not None, name or ""
        self.pending_text = (
            self._t(
                "account.handover.pending",
                name=pending.target_name,
                email=pending.target_email,
                expires=format_moment(pending.expires_at, self.lang),
            )
            if pending
            else ""
        )

    @signed_in
    async def load(self) -> None:
        self._target_id = self._query_id("user_id") or 0
        self.notice, self.errors, self.dialog_open = "", {}, False
        await self._refresh()

    @signed_in
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = value is True
        self.errors = {}

    @own_account
    async def request(self, form: dict) -> None:
        actor = self._actor()
        self.errors, self.notice = {}, ""
        try:
            await in_transaction(
                handover.request_handover,
                actor,
                settings=get_settings(),
                target_user_id=self._target_id,
                password=text_field(form, "password", handover.MAX_PASSWORD_INPUT + 1),
            )
        except ServiceError as error:
            if _is_wrong_password(error):
                await in_transaction(handover.record_password_failure, actor)
            self.errors = field_errors(error, self.lang)
            return
        self.dialog_open = False
        self.notice = self._t("account.handover.sent", name=self.target_name)
        await self._refresh()

    @own_account
    async def cancel(self) -> None:
        self.errors, self.notice = {}, ""
        try:
            if await in_transaction(handover.cancel_handover, self._actor()):
                self.notice = self._t("account.handover.cancelled")
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
        await self._refresh()


class HandoverLinkState(PortalState):
    """/handover?token=: anyone may look; only the target, signed in, may accept."""

    offer_text: str = ""
    details_text: str = ""
    to_email: str = ""
    for_me: bool = False
    signed_in_now: bool = False
    done_text: str = ""
    link_error: str = ""
    errors: dict[str, str] = {}
    _company: str = ""
    _accepted_token: str = ""

    @public
    async def load(self) -> None:
        token = link_token(self)
        if token and token == self._accepted_token:
            return
        self.offer_text, self.details_text, self.to_email, self.done_text = "", "", "", ""
        self.for_me, self.link_error, self.errors = False, "", {}
        context = customer_principal()
        self.signed_in_now = context is not None
        try:
            offer = await in_transaction(
                handover.handover_offer, token, context if context else None
            )
        except ServiceError as error:
            self.link_error = self._t(error.code, **error.params)
            return
        self._company, self.to_email, self.for_me = (
            offer.company_name,
            offer.to_email,
            (offer.for_this_actor),
        )
        self.offer_text = self._t(
            "account.handover.offer",
            from_name=offer.from_name,
            company=offer.company_name,
            to_name=offer.to_name,
            to_email=offer.to_email,
        )
        self.details_text = self._t("account.handover.offer_details", from_name=offer.from_name)

    @own_account
    async def accept(self) -> None:
        token = link_token(self)
        self.errors = {}
        try:
            await in_transaction(handover.accept_handover, get_settings(), token, self._actor())
        except ServiceError as error:
            if error.code.startswith("link."):
                self.link_error = self._t(error.code)
            self.errors = field_errors(error, self.lang)
            return
        self._accepted_token = token
        self.done_text = self._t("account.handover.done", company=self._company)
