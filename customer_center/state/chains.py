"""Editing an approver chain (a user's own, a role's or the company's default), with preview.

The levels being edited live in a private var; the browser sees display strings and sends
back only level numbers and approver keys ("u:<id>", "r:<id>") that the service re-checks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from customer_center.domain.budgets import format_amount, parse_money
from customer_center.domain.chains import ApproverRef, Level
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id
from customer_center.domain.people import RuleScope
from customer_center.domain.permissions import Permission
from customer_center.i18n import translate
from customer_center.presenters import chains as chain_words
from customer_center.presenters import people as people_words
from customer_center.presenters.people import role_label
from customer_center.services.people import chains, roles
from customer_center.state.access import requires
from customer_center.state.base import (
    PortalState,
    field_errors,
    in_transaction,
    text_field,
)

MANAGE = Permission.CHAINS_MANAGE
MAX_CANDIDATES = 30


def _key(ref: ApproverRef) -> str:
    return f"u:{ref.user_id}" if ref.user_id is not None else f"r:{ref.role_id}"


def _ref(key: str) -> ApproverRef | None:
    kind, _, text = key.partition(":")
    number = parse_id(text)
    if number is None:
        return None
    return (
        ApproverRef(user_id=number)
        if kind == "u"
        else ApproverRef(role_id=number)
        if kind == "r"
        else None
    )


class ChainEditorState(PortalState):
    levels: list[dict[str, str]] = []
    approvers: list[dict[str, str]] = []
    candidates: list[dict[str, str]] = []
    problems: dict[str, str] = {}
    saved: str = ""
    has_chain: bool = False
    can_edit: bool = False
    preview_sentence: str = ""
    preview_steps: list[str] = []
    _scope: str = RuleScope.COMPANY
    _subject: int = 0
    _edited: list[dict[str, Any]] = []  # {"rule", "min": cents|None, "refs": [key, ...]}
    _labels: dict[str, str] = {}
    _invited: list[int] = []  # invited people: named with a note, decided by the main contact

    def _publish(self) -> None:
        self.levels = [
            {
                "index": str(i),
                "number": str(i + 1),
                "rule": level["rule"],
                "min_value": format_amount(level["min"], self.lang),
            }
            for i, level in enumerate(self._edited)
        ]
        self.approvers = [
            {"level": str(i), "key": key, "label": self._labels.get(key, key)}
            for i, level in enumerate(self._edited)
            for key in level["refs"]
        ]

    def _as_levels(self) -> list[Level]:
        return [
            Level(
                level["rule"],
                tuple(ref for key in level["refs"] if (ref := _ref(key)) is not None),
                level["min"],
            )
            for level in self._edited
        ]

    async def _open(self, scope: str, subject: int) -> None:
        actor = self._actor()
        self._scope, self._subject = scope, subject
        self.can_edit = self._may(MANAGE)
        levels = await in_transaction(chains.chain_of, actor, scope=scope, subject_id=subject)
        self.has_chain = levels is not None
        self._edited = [
            {
                "rule": lv.rule,
                "min": lv.min_order_value_cents,
                "refs": [_key(r) for r in lv.approvers],
            }
            for lv in levels or []
        ]
        directory = await in_transaction(chains.load_directory, actor.company_id)
        self._invited = sorted(directory.invited)
        self._labels = {
            f"u:{uid}": self._person_label(uid, name) for uid, name in directory.names.items()
        }
        self._labels.update(
            {
                f"r:{rid}": translate(
                    self.lang, "chains.role_label", name=people_words.role_label(role, self.lang)
                )
                for rid, role in directory.role_names.items()
            }
        )
        self.problems, self.saved, self.preview_sentence, self.preview_steps = {}, "", "", []
        await self._search("")
        self._publish()

    async def _search(self, text: str) -> None:
        actor = self._actor()
        people = await in_transaction(
            chains.find_people, actor, text=text, limit=MAX_CANDIDATES, invited=True
        )
        views = await in_transaction(roles.list_roles, actor)
        needle = text.strip().lower()
        found = [
            {
                "key": f"r:{v.id}",
                "label": translate(self.lang, "chains.role_label", name=role_label(v, self.lang)),
            }
            for v in views
            if v.code != "main_contact" and needle in role_label(v, self.lang).lower()
        ] + [{"key": f"u:{uid}", "label": self._person_label(uid, name)} for uid, name in people]
        self.candidates = found
        self._labels.update({c["key"]: c["label"] for c in found})

    def _person_label(self, user_id: int, name: str) -> str:
        """Invited people may be named: the label says the main contact decides until then."""
        if user_id in self._invited:
            return translate(self.lang, "chains.invited_label", name=name)
        return name

    def _level(self, index: object) -> dict[str, Any] | None:
        if isinstance(index, int) and 0 <= index < len(self._edited):
            return self._edited[index]
        return None

    @requires(MANAGE)
    async def search_candidates(self, text: str) -> None:
        await self._search(text if isinstance(text, str) else "")

    @requires(MANAGE)
    def add_level(self) -> None:
        if len(self._edited) < 10:
            self._edited.append({"rule": "any", "min": None, "refs": []})
            self._publish()

    @requires(MANAGE)
    def remove_level(self, index: int) -> None:
        if self._level(index) is not None:
            self._edited.pop(index)
            self._publish()

    @requires(MANAGE)
    def set_rule(self, index: int, rule: str) -> None:
        level = self._level(index)
        if level is not None and rule in ("any", "all"):
            level["rule"] = rule
            self._publish()

    @requires(MANAGE)
    def set_min_value(self, index: int, text: str) -> None:
        level = self._level(index)
        if level is None or not isinstance(text, str):
            return
        self.problems.pop(f"level-{index + 1}", None)
        try:
            level["min"] = parse_money(text, self.lang) if text.strip() else None
        except ValueError as problem:
            self.problems[f"level-{index + 1}"] = self._t(str(problem))
        self._publish()

    @requires(MANAGE)
    def add_approver(self, index: int, key: str) -> None:
        """Add ``key`` to level ``index``; the first pick of an empty chain starts level 1."""
        key = str(key)[:20]
        if index == 0 and not self._edited and _ref(key) is not None and key in self._labels:
            self._edited.append({"rule": "any", "min": None, "refs": []})
        level = self._level(index)
        if (
            level is not None
            and _ref(key) is not None
            and key in self._labels
            and key not in level["refs"]
        ):
            level["refs"].append(key)
            self._publish()

    @requires(MANAGE)
    def remove_approver(self, index: int, key: str) -> None:
        level = self._level(index)
        if level is not None and key in level["refs"]:
            level["refs"].remove(key)
            self._publish()

    @requires(MANAGE)
    async def save(self) -> None:
        self.problems, self.saved = {}, ""
        try:
            await in_transaction(
                chains.save_chain,
                self._actor(),
                scope=self._scope,
                subject_id=self._subject,
                levels_payload=chains.levels_to_json(self._as_levels()),
            )
        except ServiceError as error:
            self.problems = field_errors(error, self.lang)
            return
        self.has_chain, self.saved = True, self._t("chains.saved")

    @requires(MANAGE)
    async def clear(self) -> None:
        try:
            await in_transaction(
                chains.clear_chain, self._actor(), scope=self._scope, subject_id=self._subject
            )
        except ServiceError as error:
            self.problems = field_errors(error, self.lang)
            return
        await self._open(self._scope, self._subject)
        self.saved = self._t("chains.cleared")


class UserChainState(ChainEditorState):
    """The approver chain section of a user's page, with the route preview."""

    @requires(Permission.USERS_MANAGE)
    async def load(self) -> None:
        try:
            await self._open(RuleScope.USER, self._query_id("user_id") or 0)
        except ServiceError:
            self._scope, self._subject = RuleScope.USER, 0

    @requires(Permission.USERS_MANAGE)
    async def preview(self, form: dict) -> None:
        self.preview_sentence, self.preview_steps = "", []
        try:
            cents = parse_money(text_field(form, "amount", 30), self.lang)
        except ValueError as problem:
            self.problems = {"amount": self._t(str(problem))}
            return
        self.problems.pop("amount", None)
        try:
            result = await in_transaction(
                chains.preview,
                self._actor(),
                user_id=self._subject,
                order_value_cents=cents,
                today=date.today(),
                levels=self._as_levels(),
            )
        except ServiceError as error:
            self.problems = field_errors(error, self.lang)
            return
        text = chain_words.preview_text(result, self.lang)
        self.preview_sentence, self.preview_steps = text.sentence, text.steps


class DefaultChainState(ChainEditorState):
    """The /approval-chains page: the company default and each role's default."""

    scope_options: list[dict[str, str]] = []
    scope_key: str = "company:0"

    @requires(MANAGE)
    async def load(self) -> None:
        views = await in_transaction(roles.list_roles, self._actor())
        self.scope_options = [{"key": "company:0", "label": self._t("chains.company_default")}] + [
            {
                "key": f"role:{v.id}",
                "label": self._t("chains.role_default", name=role_label(v, self.lang)),
            }
            for v in views
            if v.code != "main_contact"
        ]
        await self._choose("company:0")

    async def _choose(self, key: str) -> None:
        scope, _, subject = key.partition(":")
        subject_id = parse_id(subject)
        if scope in (RuleScope.COMPANY, RuleScope.ROLE) and subject_id is not None:
            self.scope_key = key
            await self._open(scope, subject_id)

    @requires(MANAGE)
    async def choose_scope(self, key: str) -> None:
        if isinstance(key, str) and any(o["key"] == key for o in self.scope_options):
            await self._choose(key)
