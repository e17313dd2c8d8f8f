"""Absences: one's own on the profile, anyone's on a user's page for administrators.

A person may plan several; the list shows them, the form adds one, each row can be removed."""

from __future__ import annotations

from datetime import date

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_date, parse_id, require
from customer_center.domain.permissions import Permission
from customer_center.i18n.formatting import format_day
from customer_center.services.people import absences, chains
from customer_center.state.access import requires, signed_in
from customer_center.state.base import (
    PortalState,
    field_errors,
    in_transaction,
    text_field,
)


def _day(form: object, name: str) -> date:
    return require(parse_date(text_field(form, name, 10)), name, "absence.date_required")


class AbsenceState(PortalState):
    """The planned absences of one person: listed, one added at a time, each removable."""

    periods: list[dict[str, str]] = []  # {"id", "text"}
    candidates: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    saved: str = ""
    round: int = 0
    _user_id: int = 0

    async def _reload(self) -> None:
        views = await in_transaction(absences.absences_of, self._actor(), user_id=self._user_id)
        self.periods = [
            {
                "id": str(view.id),
                "text": self._t(
                    "absence.current",
                    start=format_day(view.starts_on, self.lang),
                    end=format_day(view.ends_on, self.lang),
                    name=view.substitute_name,
                ),
            }
            for view in views
        ]
        self._offer(await in_transaction(chains.find_people, self._actor(), text="", limit=30))
        self.round += 1

    def _offer(self, people: list[tuple[int, str]]) -> None:
        self.candidates = [
            {"id": str(uid), "name": name} for uid, name in people if uid != self._user_id
        ]

    @signed_in
    async def load_mine(self) -> None:
        self._user_id, self.errors, self.saved = self._actor().user_id, {}, ""
        await self._reload()

    @requires(Permission.USERS_MANAGE)
    async def load_for_user(self) -> None:
        self._user_id, self.errors, self.saved = self._query_id("user_id") or 0, {}, ""
        try:
            await self._reload()
        except ServiceError:
            self._user_id, self.periods = 0, []

    @signed_in
    async def find(self, text: str) -> None:
        if isinstance(text, str) and self._user_id:
            self._offer(
                await in_transaction(chains.find_people, self._actor(), text=text, limit=30)
            )

    @signed_in
    async def save(self, form: dict) -> None:
        """Add one absence; the ones already planned stay."""
        self.errors, self.saved = {}, ""
        try:
            substitute = require(
                parse_id(text_field(form, "substitute", 12)), "substitute", "absence.choose"
            )
            await in_transaction(
                absences.add_absence,
                self._actor(),
                user_id=self._user_id,
                starts_on=_day(form, "starts_on"),
                ends_on=_day(form, "ends_on"),
                substitute_id=substitute,
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        await self._reload()
        self.saved = self._t("absence.saved")

    @signed_in
    async def remove(self, absence_id: str) -> None:
        self.errors, self.saved = {}, ""
        try:
            await in_transaction(
                absences.remove_absence,
                self._actor(),
                user_id=self._user_id,
                absence_id=parse_id(absence_id),
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        await self._reload()
        self.saved = self._t("absence.cleared")
