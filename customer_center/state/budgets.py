"""Budget forms (a user's own limits, role and company defaults) and the budget situation."""

from __future__ import annotations

from collections.abc import Callable

from customer_center.domain.budgets import Limits
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id
from customer_center.domain.people import RuleScope
from customer_center.domain.permissions import Permission
from customer_center.presenters import budgets as budget_words
from customer_center.presenters.budgets import FIELDS, form_values, limits_summary
from customer_center.presenters.people import role_label
from customer_center.services.people import budgets, roles
from customer_center.services.people.budgets import BudgetSituation
from customer_center.state.access import requires, signed_in
from customer_center.state.base import PortalState, field_errors, in_transaction, text_fields

MANAGE = Permission.BUDGETS_MANAGE


def _form(form: object) -> dict[str, str]:
    return text_fields(form, FIELDS, 40)


class SituationView(PortalState):
    """The figures of one user's budget, ready to show."""

    limit_lines: list[str] = []
    source: str = ""
    has_period: bool = False
    period_label: str = ""
    spent: str = ""
    reserved: str = ""
    remaining: str = ""
    used_percent: int = 0
    over_budget: bool = False

    def _show(self, situation: BudgetSituation | None) -> None:
        """Show ``situation``; ``None`` empties every figure (nothing of a previous user stays)."""
        self.limit_lines, self.source, self.has_period, self.period_label = [], "", False, ""
        self.spent, self.reserved, self.remaining = "", "", ""
        self.used_percent, self.over_budget = 0, False
        if situation is None:
            return
        shown = budget_words.situation(situation, self.lang)
        self.limit_lines, self.source = shown.limit_lines, shown.source
        self.has_period, self.period_label = shown.has_period, shown.period_label
        self.spent, self.reserved, self.remaining = shown.spent, shown.reserved, shown.remaining
        self.used_percent, self.over_budget = shown.used_percent, shown.over_budget


class UserBudgetState(SituationView):
    """The budget section of a user's page."""

    budget_user_id: int = 0
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    has_own_rule: bool = False
    saved: str = ""
    round: int = 0

    async def _reload(self) -> None:
        actor = self._actor()
        own = await in_transaction(
            budgets.rule_of, actor, scope=RuleScope.USER, subject_id=self.budget_user_id
        )
        self.has_own_rule = own is not None
        self.values = form_values(own, self.lang)
        self._show(
            await in_transaction(budgets.budget_situation, actor, user_id=self.budget_user_id)
        )
        self.round += 1

    # Whoever may open a user's page (users.manage) sees the budget; changing it takes
    # budgets.manage, which the section's form also asks for before it shows.
    @requires(Permission.USERS_MANAGE)
    async def load(self) -> None:
        self.errors, self.saved = {}, ""
        self.budget_user_id = self._query_id("user_id") or 0
        try:
            await self._reload()
        except ServiceError:
            self.budget_user_id, self.has_own_rule = 0, False
            self.values = form_values(None, self.lang)
            self._show(None)

    @requires(MANAGE)
    async def save(self, form: dict) -> None:
        self.errors, self.saved = {}, ""
        try:
            values = _form(form)
            await in_transaction(
                budgets.save_rule,
                self._actor(),
                scope=RuleScope.USER,
                subject_id=self.budget_user_id,
                values=values,
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self.saved = self._t("budgets.saved")
        await self._reload()

    @requires(MANAGE)
    async def clear(self) -> None:
        self.errors, self.saved = {}, ""
        try:
            await in_transaction(
                budgets.clear_rule,
                self._actor(),
                scope=RuleScope.USER,
                subject_id=self.budget_user_id,
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self.saved = self._t("budgets.cleared")
        await self._reload()


class MyBudgetState(SituationView):
    @signed_in
    async def load(self) -> None:
        actor = self._actor()
        self._show(await in_transaction(budgets.budget_situation, actor, user_id=actor.user_id))


class BudgetDefaultsState(PortalState):
    """The /budgets page: the company default and each role's default."""

    rows: list[dict[str, str]] = []
    editing_key: str = ""
    editing_label: str = ""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    saved: str = ""
    round: int = 0
    _rules: dict[str, Limits | None] = {}

    async def _reload(self) -> None:
        actor = self._actor()
        views = await in_transaction(roles.list_roles, actor)
        defaults = await in_transaction(budgets.budget_defaults, actor)
        company = (f"{RuleScope.COMPANY}:0", self._t("budgets.company_default"), defaults.company)
        subjects = [company] + [
            (f"{RuleScope.ROLE}:{v.id}", role_label(v, self.lang), defaults.roles.get(v.id))
            for v in views
        ]
        self._rules = {key: rule for key, _label, rule in subjects}
        self.rows = [
            {
                "key": key,
                "label": label,
                "summary": " · ".join(limits_summary(rule, defaults.currency, self.lang))
                if rule
                else self._t("budgets.not_set"),
            }
            for key, label, rule in subjects
        ]

    @requires(MANAGE)
    async def load(self) -> None:
        self.editing_key, self.errors, self.saved = "", {}, ""
        await self._reload()

    @requires(MANAGE)
    def edit(self, key: str) -> None:
        if not isinstance(key, str) or key not in self._rules:
            return
        self.editing_key, self.errors, self.saved = key, {}, ""
        self.editing_label = next(r["label"] for r in self.rows if r["key"] == key)
        self.values = form_values(self._rules[key], self.lang)
        self.round += 1

    @requires(MANAGE)
    def cancel(self) -> None:
        self.editing_key = ""

    def _subject(self) -> tuple[str, int]:
        scope, _, subject = self.editing_key.partition(":")
        subject_id = parse_id(subject)
        return scope, subject_id if subject_id is not None else -1

    @requires(MANAGE)
    async def save(self, form: dict) -> None:
        await self._apply(budgets.save_rule, lambda: {"values": _form(form)})

    @requires(MANAGE)
    async def clear(self) -> None:
        await self._apply(budgets.clear_rule, dict)

    async def _apply(
        self, service: Callable[..., None], arguments: Callable[[], dict[str, object]]
    ) -> None:
        """Save or clear the rule being edited with the ``arguments`` read from the form (a
        refusal of those is shown like the service's); the service checks the subject again."""
        if self.editing_key not in self._rules:
            return
        self.errors = {}
        try:
            scope, subject_id = self._subject()
            await in_transaction(
                service, self._actor(), scope=scope, subject_id=subject_id, **arguments()
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self.editing_key, self.saved = "", self._t("budgets.saved")
        await self._reload()
