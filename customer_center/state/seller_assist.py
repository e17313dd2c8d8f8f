"""An agent's help for a company's users from the users section of Company 360, each after
a confirm dialog: send the invitation again, send a password-reset link, lift a sign-in
lockout, lift the company's activation lockout (the two lockouts with a reason)."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id
from customer_center.domain.staff import StaffPermission
from customer_center.services.seller import assist
from customer_center.settings import get_settings
from customer_center.state.access import staff
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.seller_company import SellerCompanyState

VIEW = StaffPermission.VIEW
# The actions, and whether each asks for a reason.
ACTIONS = {"invitation": False, "reset": False, "sign_in_lock": True, "activation_lock": True}
# Refusals of the customers' own services, in the words an agent needs (not "you", "your
# company"): the rule is the same, the reader is not.
FOR_AGENTS = {
    "forgot.rate_limited": "seller.assist.rate_limited",
    "sign_in.password_off": "seller.assist.password_off",
    "admin.not_found": "seller.assist.user_not_found",
    "users.error.not_invited": "seller.assist.not_invited",
}


class SellerAssistState(PortalState):
    action: str = ""  # the action the dialog asks to confirm ("": no dialog)
    user_name: str = ""
    question: str = ""  # what the dialog asks, worded when it opens
    needs_reason: bool = False
    errors: dict[str, str] = {}
    message: str = ""
    _user_id: int = 0

    @staff(VIEW)
    async def ask(self, action: str, user_id: str) -> None:
        """Open the dialog for ``action`` on a user of the page (or the company itself for
        the activation lockout)."""
        self.errors, self.message = {}, ""
        if action not in ACTIONS:
            return
        company = await self.get_state(SellerCompanyState)
        if action == "activation_lock":
            name, parsed = company.head.get("name", ""), 0
        else:
            parsed = parse_id(user_id if isinstance(user_id, str) else "") or 0
            row = next((r for r in company.rows if r.get("id") == str(parsed)), None)
            if row is None or company.section != "users":
                return
            name = row["name"]
        if not name:
            return
        self.action, self.user_name, self._user_id = action, name, parsed
        self.needs_reason = ACTIONS[action]
        self.question = self._t(f"seller.assist.ask.{action}", name=name)

    @staff(VIEW)
    def cancel(self) -> None:
        self.action, self.errors = "", {}

    @staff(VIEW)
    def open_changed(self, is_open: bool) -> None:
        """Escape or a click beside the dialog closes it like Cancel."""
        if is_open is not True:
            self.action, self.errors = "", {}

    @staff(VIEW)
    async def confirm(self, form: dict) -> None:
        if self.action not in ACTIONS:
            return
        company = await self.get_state(SellerCompanyState)
        company_id = parse_id(company.company_id)
        reason = text_field(form, "reason", assist.MAX_REASON + 1)
        agent, settings, user_id = self._agent(), get_settings(), self._user_id
        self.errors = {}
        try:
            if self.action == "invitation":
                await in_transaction(
                    assist.resend_invitation,
                    agent,
                    settings=settings,
                    company_id=company_id,
                    user_id=user_id,
                )
            elif self.action == "reset":
                await in_transaction(
                    assist.send_password_reset,
                    agent,
                    settings=settings,
                    company_id=company_id,
                    user_id=user_id,
                )
            elif self.action == "sign_in_lock":
                await in_transaction(
                    assist.lift_sign_in_lockout,
                    agent,
                    company_id=company_id,
                    user_id=user_id,
                    reason=reason,
                )
            else:
                await in_transaction(
                    assist.lift_activation_lockout, agent, company_id=company_id, reason=reason
                )
        except ServiceError as error:
            if error.code in FOR_AGENTS:
                error = ServiceError(FOR_AGENTS[error.code], error.field, **error.params)
            self.errors = field_errors(error, self.lang)
            return
        self.message = f"seller.assist.done.{self.action}"
        self.action = ""
