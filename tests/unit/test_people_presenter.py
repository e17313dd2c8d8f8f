"""People in words: services hand over roles, chains and problems as data; the presenter
words them in the reader's language."""

from __future__ import annotations

from datetime import date

from customer_center.domain.chains import Problem
from customer_center.domain.refs import ChainRef, RoleRef
from customer_center.presenters.people import (
    builtin_role_names,
    chain_label,
    problem_text,
    role_label,
    role_options,
    worded_params,
)
from customer_center.services.people.user_list import RoleChoice

BUYER = RoleRef("buyer", "buyer", True)
FINANCE = RoleRef("custom-7", "Finance", False)


def test_a_builtin_role_reads_in_the_readers_language_a_custom_one_by_its_name() -> None:
    assert (role_label(BUYER, "en"), role_label(BUYER, "de")) == ("Buyer", "Einkäufer")
    assert role_label(FINANCE, "de") == "Finance"
    assert builtin_role_names("buyer") == frozenset({"buyer", "einkäufer"})


def test_chains_are_named_by_scope_and_sorted_in_a_refusal() -> None:
    chains = (
        ChainRef("user", user_name="Ben", subject_id=5),
        ChainRef("role", role=BUYER, subject_id=2),
        ChainRef("company"),
    )
    assert [chain_label(chain, "de") for chain in chains] == [
        "die Kette von Ben",
        "die Standardkette der Rolle Einkäufer",
        "die Standardkette des Unternehmens",
    ]
    assert chain_label(ChainRef("role", subject_id=9), "en") == "the default chain of the role #9"
    assert worded_params({"chains": chains, "count": 3}, "en") == {
        "chains": "the chain of Ben, the company's default chain, "
        "the default chain of the role Buyer",
        "count": 3,
    }


def test_days_roles_and_problems_are_worded() -> None:
    worded = worded_params({"day": date(2026, 3, 1), "role": FINANCE}, "en")
    assert worded == {"day": "Mar 1, 2026", "role": "Finance"}
    empty = Problem(2, "chains.problem.role_empty", {"name": BUYER})
    assert problem_text(empty, "de") == (
        "Niemand Aktives hat die Rolle Einkäufer; diese Stufe könnte nie freigegeben werden."
    )
    assert worded_params({"text": (empty, empty)}, "en")["text"] == " ".join(
        ["Nobody active holds the role Buyer, so this level could never be approved."] * 2
    )


def test_role_options_never_offer_the_main_contact() -> None:
    choices = [
        RoleChoice(1, "main_contact", "main_contact", True),
        RoleChoice(2, "buyer", "buyer", True),
        RoleChoice(7, "custom-7", "Finance", False),
    ]
    assert role_options(choices, "de") == [
        {"id": "2", "label": "Einkäufer"},
        {"id": "7", "label": "Finance"},
    ]
