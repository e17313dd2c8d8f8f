"""Single sign-on rules without a database: domains, group claims, role sync, the secret box."""

import pytest

from customer_center.auth import secret_box
from customer_center.domain import sso


def test_domains_are_parsed_lower_case_once_each() -> None:
    text = "Alpha.example, @alpha.example\n beta-werk.de;ALPHA.EXAMPLE."
    assert sso.parse_domains(text) == ["alpha.example", "beta-werk.de"]


@pytest.mark.parametrize(
    ("domain", "problem"),
    [
        ("alpha.example", None),
        ("werk.muenchen.de", None),
        ("gmail.com", "sso.error.domain_public"),
        ("gmx.de", "sso.error.domain_public"),
        ("localhost", "sso.error.domain_invalid"),
        ("-bad.example", "sso.error.domain_invalid"),
        ("a b.example", "sso.error.domain_invalid"),
    ],
)
def test_a_domain_must_name_a_company(domain: str, problem: str | None) -> None:
    assert sso.domain_problem(domain) == problem


def test_email_domain() -> None:
    assert sso.email_domain(" Anna@Alpha.Example ") == "alpha.example"
    assert sso.email_domain("no-at-sign") == ""
    assert sso.email_domain("@alpha.example") == ""


def test_group_claims_may_be_a_list_or_one_string() -> None:
    assert sso.claim_values({"groups": ["a", 3, "b"]}, "groups") == {"a", "b"}
    assert sso.claim_values({"roles": "a"}, "roles") == {"a"}
    assert sso.claim_values({"groups": {"a": 1}}, "groups") == set()


MAPPING = {"purchasing": "buyer", "heads": "approver", "finance": "controller"}


def test_mapped_groups_give_their_roles_else_the_default() -> None:
    assert sso.wanted_roles({"purchasing", "heads", "x"}, MAPPING, "technician") == {
        "buyer",
        "approver",
    }
    assert sso.wanted_roles({"x"}, MAPPING, "technician") == {"technician"}
    assert sso.wanted_roles(set(), MAPPING, None) == frozenset()


def test_the_main_contact_role_is_never_given_nor_taken() -> None:
    mapping = {**MAPPING, "it-admins": "main_contact"}
    assert "main_contact" not in sso.wanted_roles({"it-admins"}, mapping, "buyer")
    assert "main_contact" not in sso.managed_roles(mapping, "buyer")
    plan = sso.plan_roles({"main_contact", "buyer"}, frozenset(), sso.managed_roles(mapping, None))
    assert "main_contact" not in plan.remove


def test_sync_takes_away_managed_roles_only() -> None:
    managed = sso.managed_roles(MAPPING, "technician")
    wanted = sso.wanted_roles({"finance"}, MAPPING, "technician")
    # buyer (managed, no longer in a group) goes; a custom role given by hand stays.
    plan = sso.plan_roles({"buyer", "custom-7"}, wanted, managed)
    assert plan.add == {"controller"}
    assert plan.remove == {"buyer"}


def test_client_secret_round_trip_and_wrong_key() -> None:
    token = secret_box.encrypt("k" * 48, "s3cr3t value")
    assert "s3cr3t" not in token
    assert secret_box.decrypt("k" * 48, token) == "s3cr3t value"
    with pytest.raises(secret_box.SecretUnreadable):
        secret_box.decrypt("other-key" * 6, token)
    with pytest.raises(secret_box.SecretUnreadable):
        secret_box.decrypt("k" * 48, token[:-4] + "AAAA")
