"""Changing a sign-in address (own on /profile, another user's on /users/<id>) and the page
behind the confirmation link."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.services.identity import email_change
from customer_center.settings import get_settings
from customer_center.state.access import own_account, public, signed_in
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field

EMAIL_INPUT_LIMIT = 300
TOKEN_LIMIT = 200


def link_token(state: PortalState) -> str:
    """The ``token`` of an e-mail link's page, wherever Reflex put the query parameter."""
    return state._param("token")[:TOKEN_LIMIT]


class EmailChangeState(PortalState):
    email: str = ""
    pending: str = ""
    sent_to: str = ""
    editable: bool = False
    problem: str = ""
    errors: dict[str, str] = {}
    # Whose address the form changes, fixed by ``load``; the service checks it again.
    _user_id: int = 0

    def _target_id(self) -> int | None:
        """The user of the page: ``/users/<id>`` names one, ``/profile`` means the actor."""
        named = self._param("user_id")
        return self._query_id("user_id") if named else self._actor().user_id

    @signed_in
    async def load(self) -> None:
        self.email, self.pending, self.sent_to, self.problem = "", "", "", ""
        self.errors, self.editable, self._user_id = {}, False, 0
        user_id = self._target_id()
        try:
            status = await in_transaction(email_change.email_status, self._actor(), user_id=user_id)
        except ServiceError as error:
            self.problem = self._t(error.code, **error.params)
            return
        self._user_id = user_id or 0
        self.email, self.pending, self.editable = status.email, status.pending or "", True

    @own_account
    async def submit(self, form: dict) -> None:
        self.errors, self.sent_to = {}, ""
        if not self._user_id:
            self.errors = {"": self._t("admin.not_found")}
            return
        try:
            sent_to = await in_transaction(
                email_change.request_email_change,
                self._actor(),
                settings=get_settings(),
                user_id=self._user_id,
                new_email=text_field(form, "new_email", EMAIL_INPUT_LIMIT),
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self.sent_to = self.pending = sent_to


class VerifyEmailState(PortalState):
    """Opening the link confirms: it went to the new address, which is the proof needed."""

    confirmed_email: str = ""
    link_error: str = ""
    _confirmed_token: str = ""

    @public
    async def load(self) -> None:
        token = link_token(self)
        if token and token == self._confirmed_token:
            return  # the page loaded again after its own success
        self.confirmed_email, self.link_error = "", ""
        try:
            self.confirmed_email = await in_transaction(
                email_change.confirm_email_change, get_settings(), token
            )
        except ServiceError as error:
            self.link_error = self._t(error.code, **error.params)
            return
        self._confirmed_token = token
