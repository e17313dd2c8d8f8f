"""Errors that services raise and pages show, carrying a message id, not a sentence."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal a user should read: ``code`` is a message id, ``field`` the input it is about."""

    def __init__(self, code: str, field: str | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


class ValidationFailed(ServiceError):
    """Several fields are wrong at once: ``errors`` maps field -> (message id, params)."""

    def __init__(self, errors: dict[str, tuple[str, dict[str, object]]]) -> None:
        super().__init__("error.validation")
        self.errors = errors
