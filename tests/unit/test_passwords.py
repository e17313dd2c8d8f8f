"""Password hashing: production's argon2 parameters by default, cheap ones only when asked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from customer_center.auth import passwords
from customer_center.settings import ConfigurationError, get_settings, load_settings

PASSWORD = "Kettle-moon-arrives-late"  # noqa: S105 - a test value


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings read again from the environment this test sets, and again after it."""
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def argon2_parameters_of(password_hash: str) -> str:
    """``$argon2id$v=19$m=65536,t=3,p=4$salt$digest`` -> ``m=65536,t=3,p=4``."""
    return password_hash.split("$")[3]


def test_without_a_setting_passwords_are_hashed_with_the_production_parameters(
    fresh_settings: pytest.MonkeyPatch,
) -> None:
    fresh_settings.delenv("CC_PASSWORD_HASHING", raising=False)
    get_settings.cache_clear()
    assert passwords.parameters() == passwords.STANDARD
    assert (
        passwords.Argon2Parameters(memory_cost=65536, time_cost=3, parallelism=4)
        == passwords.STANDARD
    )
    password_hash = passwords.hash_password(PASSWORD)
    assert password_hash.startswith("$argon2id$")
    assert argon2_parameters_of(password_hash) == "m=65536,t=3,p=4"
    assert passwords.verify_password(PASSWORD, password_hash)
    assert not passwords.verify_password(PASSWORD + "!", password_hash)
    assert not passwords.verify_password(PASSWORD, None)


def test_fast_hashing_uses_cheap_parameters_of_the_same_algorithm(
    fresh_settings: pytest.MonkeyPatch,
) -> None:
    use_hashing(fresh_settings, "fast")
    assert passwords.parameters() == passwords.FAST
    password_hash = passwords.hash_password(PASSWORD)
    assert password_hash.startswith("$argon2id$")
    assert argon2_parameters_of(password_hash) == "m=8,t=1,p=1"
    assert passwords.verify_password(PASSWORD, password_hash)
    assert not passwords.verify_password("Kettle-moon-arrives-early", password_hash)
    assert not passwords.verify_password(PASSWORD, "")


def test_a_hash_is_verified_with_its_own_parameters_whatever_the_setting(
    fresh_settings: pytest.MonkeyPatch,
) -> None:
    cheap = passwords.hash_password(PASSWORD)
    use_hashing(fresh_settings, "standard")
    assert passwords.verify_password(PASSWORD, cheap)
    strong = passwords.hash_password(PASSWORD)
    assert argon2_parameters_of(strong) == "m=65536,t=3,p=4"
    use_hashing(fresh_settings, "fast")
    assert passwords.verify_password(PASSWORD, strong)
    assert not passwords.verify_password(PASSWORD + "!", strong)


def use_hashing(monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    monkeypatch.setenv("CC_PASSWORD_HASHING", setting)
    get_settings.cache_clear()


def test_an_unknown_hashing_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CC_PASSWORD_HASHING", "none")
    with pytest.raises(ConfigurationError, match="CC_PASSWORD_HASHING may be standard or fast"):
        load_settings()
    monkeypatch.setenv("CC_PASSWORD_HASHING", " Standard ")
    assert load_settings().password_hashing == "standard"
