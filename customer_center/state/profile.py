"""The signed-in user's own profile: name and language (the address has its own flow)."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.i18n.catalog import LANGUAGES
from customer_center.services.people import user_list, users
from customer_center.state.access import own_account, signed_in
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.session import SessionState


class ProfileState(PortalState):
    name: str = ""
    language: str = "en"
    errors: dict[str, str] = {}
    saved: bool = False

    @signed_in
    async def load(self) -> None:
        actor = self._actor()
        detail = await in_transaction(user_list.user_detail, actor, user_id=actor.user_id)
        self.name, self.language = detail.name, detail.language
        self.errors, self.saved = {}, False

    @own_account
    async def save(self, form: dict) -> None:
        """Only ever the actor's own account: no id is taken from the browser."""
        actor = self._actor()
        language = text_field(form, "language", 5)
        self.errors, self.saved = {}, False
        try:
            await in_transaction(
                users.update_profile,
                actor,
                user_id=actor.user_id,
                name=text_field(form, "name", 300),
                language=language,
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self.name, self.saved = text_field(form, "name", 300).strip(), True
        shell = await self.get_state(SessionState)
        shell.user_name = self.name
        shell._shell_changed()
        if language in LANGUAGES:
            self.language = self.lang = language
