"""The Provisioning (SCIM) page: the endpoint's address and the company's bearer tokens."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.event import EventSpec

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id
from customer_center.domain.permissions import Permission
from customer_center.i18n.formatting import format_moment
from customer_center.services.identity import scim_tokens
from customer_center.settings import get_settings
from customer_center.state.access import requires
from customer_center.state.base import (
    PortalState,
    field_errors,
    in_transaction,
    text_field,
)

MANAGE = Permission.COMPANY_MANAGE


def _token_row(token: scim_tokens.TokenView, lang: str) -> dict[str, str]:
    return {
        "id": str(token.id),
        "label": token.label,
        "created": format_moment(token.created_at, lang),
        "last_used": format_moment(token.last_used_at, lang) if token.last_used_at else "",
        "revoked": format_moment(token.revoked_at, lang) if token.revoked_at else "",
    }


class ProvisioningState(PortalState):
    endpoint: str = ""
    tokens: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    # The raw token just created or rotated: shown once, gone with the next load or "done".
    new_token: str = ""
    new_token_label: str = ""

    async def _reload(self) -> None:
        found = await in_transaction(scim_tokens.list_tokens, self._actor())
        self.tokens = [_token_row(token, self.lang) for token in found]

    def _show_once(self, raw: str, label: str) -> None:
        self.new_token, self.new_token_label = raw, label

    @requires(MANAGE)
    async def load(self) -> None:
        self.endpoint = scim_tokens.endpoint_url(get_settings().base_url)
        self.errors, self.new_token, self.new_token_label = {}, "", ""
        await self._reload()

    @requires(MANAGE)
    async def create(self, form: dict) -> EventSpec | None:
        self.errors = {}
        label = text_field(form, "label", 300)
        try:
            raw = await in_transaction(scim_tokens.create_token, self._actor(), label=label)
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return None
        self._show_once(raw, " ".join(label.split()))
        await self._reload()
        return rx.set_value("label", "")

    def _label_of(self, token_id: int) -> str:
        return next((t["label"] for t in self.tokens if t["id"] == str(token_id)), "")

    @requires(MANAGE)
    async def rotate(self, token_id: str) -> None:
        """A new token in place of the old one, which stops working at once."""
        await self._change(token_id, scim_tokens.rotate_token)

    @requires(MANAGE)
    async def revoke(self, token_id: str) -> None:
        await self._change(token_id, scim_tokens.revoke_token)

    async def _change(self, token_id: object, change: Callable[..., str | None]) -> None:
        self.errors = {}
        wanted = parse_id(token_id)
        try:
            if wanted is None:
                raise ServiceError("admin.not_found")
            raw = await in_transaction(change, self._actor(), token_id=wanted)
        except ServiceError as error:
            self.errors = {"tokens": field_errors(error, self.lang).popitem()[1]}
            return
        if isinstance(raw, str):
            self._show_once(raw, self._label_of(wanted))
        else:
            self.new_token, self.new_token_label = "", ""
        await self._reload()

    @requires(MANAGE)
    def dismiss_new_token(self) -> None:
        self.new_token, self.new_token_label = "", ""
