"""Approver chains in words: the preview of where an order would go."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from customer_center.domain.chains import PreviewLine
from customer_center.domain.refs import RoleRef
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_money
from customer_center.presenters.people import role_label
from customer_center.services.people.chains import Preview


@dataclass(frozen=True)
class PreviewText:
    sentence: str
    steps: list[str]


def preview_text(preview: Preview, lang: str) -> PreviewText:
    """ "An order of 12,000.00 EUR by Ben would go to: 1) Anna (any of), 2) Finance (all of)"."""
    amount = format_money(Decimal(preview.order_value_cents) / 100, preview.currency, lang)
    sentence = translate(lang, "chains.preview.sentence", amount=amount, name=preview.requester)
    if preview.self_only:
        return PreviewText(sentence, [translate(lang, "chains.preview.self_only")])
    return PreviewText(sentence, [line_text(line, lang) for line in preview.lines])


def line_text(line: PreviewLine, lang: str) -> str:
    """ "2) Finance (role): Clara, Dora for Eve (all of)"."""
    people = ", ".join(
        translate(lang, "chains.preview.for", name=name, other=other) if other else name
        for name, other in line.people
    )
    if line.roles:
        roles = ", ".join(
            translate(lang, "chains.role_label", name=_role(role, lang)) for role in line.roles
        )
        people = f"{roles}: {people}"
    rule = translate(lang, f"chains.rule.{line.rule}")
    return f"{line.number}) {people} ({rule})"


def _role(role: RoleRef | str, lang: str) -> str:
    return role_label(role, lang) if isinstance(role, RoleRef) else role
