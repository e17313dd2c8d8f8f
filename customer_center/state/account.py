"""My account's security and e-mail choices: change the password, see and end my sessions,
choose which e-mails I receive. Only ever the signed-in user's own account (no id but a
session id of their own is taken from the browser, and the service checks it is theirs)."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.presenters import account as words
from customer_center.services.identity import own_sessions
from customer_center.services.people import notification_choices
from customer_center.settings import get_settings
from customer_center.state.access import acting_principal, own_account, signed_in
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field

PASSWORD_FIELDS = ("current", "password", "password_repeat")


class AccountState(PortalState):
    sessions: list[dict[str, str]] = []
    sessions_note: str = ""  # announced after ending sessions
    sessions_error: str = ""
    password_errors: dict[str, str] = {}
    password_note: str = ""  # announced after a change
    password_form_key: int = 0  # a new key empties the form after a change
    choices: list[dict[str, str]] = []
    choices_note: str = ""
    choices_error: str = ""
    own: bool = True  # False while an agent of the seller acts for the user

    @signed_in
    async def load(self) -> None:
        """The user's sessions and choices; nothing of them for an agent acting for them."""
        self.sessions_note = self.sessions_error = self.password_note = ""
        self.choices_note = self.choices_error = ""
        self.password_errors = {}
        self.own = acting_principal() is None
        if not self.own:
            self.sessions, self.choices = [], []
            return
        await self._reload()

    async def _reload(self) -> None:
        actor = self._actor()
        found = await in_transaction(own_sessions.my_sessions, actor)
        choices = await in_transaction(notification_choices.my_choices, actor)
        self.sessions = words.session_rows(found, self.lang)
        self.choices = words.choice_rows(choices, self.lang)

    @own_account
    async def change_password(self, form: dict) -> None:
        actor = self._actor()
        values = {name: text_field(form, name, 2048) for name in PASSWORD_FIELDS}
        self.password_errors, self.password_note = {}, ""
        try:
            ended = await in_transaction(
                own_sessions.change_password,
                actor,
                settings=get_settings(),
                current=values["current"],
                password=values["password"],
                password_repeat=values["password_repeat"],
                ip_address=self._client_ip(),
            )
        except ValidationFailed as error:
            if "current" in error.errors:
                await in_transaction(own_sessions.record_change_failure, actor)
            self.password_errors = field_errors(error, self.lang)
            return
        except ServiceError as error:
            self.password_errors = field_errors(error, self.lang)
            return
        self.password_note = self._t("myaccount.password.changed") + (
            " " + self._t("myaccount.password.others_ended") if ended else ""
        )
        self.password_form_key += 1
        await self._reload()

    @own_account
    async def end_session(self, session_id: str) -> None:
        self.sessions_note, self.sessions_error = "", ""
        try:
            await in_transaction(own_sessions.end_session, self._actor(), session_id=session_id)
        except ServiceError as error:
            self.sessions_error = " ".join(field_errors(error, self.lang).values())
        else:
            self.sessions_note = self._t("myaccount.sessions.ended_one")
        await self._reload()

    @own_account
    async def end_other_sessions(self) -> None:
        self.sessions_note, self.sessions_error = "", ""
        await in_transaction(own_sessions.end_other_sessions, self._actor())
        self.sessions_note = self._t("myaccount.sessions.ended_all")
        await self._reload()

    @own_account
    async def save_choices(self, form: dict) -> None:
        """The ticked boxes are named after the kinds they stand for."""
        self.choices_note, self.choices_error = "", ""
        if not isinstance(form, dict):
            self.choices_error = self._t("error.invalid_input")
            return
        wanted = [name for name, value in form.items() if value]
        try:
            await in_transaction(
                notification_choices.set_my_choices, self._actor(), wanted=wanted[:20]
            )
        except ServiceError as error:
            self.choices_error = " ".join(field_errors(error, self.lang).values())
            return
        self.choices_note = self._t("myaccount.notify.saved")
        await self._reload()
