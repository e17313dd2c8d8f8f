"""The services' calling convention: ``def f(session, principal, *, ...)``.

Every public function of a module under ``customer_center/services/`` whose first parameters
are the session and a principal takes everything after them by keyword, and names the
principal ``principal``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator

import customer_center.services as services_package

PRINCIPAL_ANNOTATIONS = {"CustomerUser", "ScimClient", "Principal", "SellerAgent"}
PRINCIPAL_NAMES = {"principal", "actor"}
POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _service_functions() -> Iterator[tuple[str, Callable[..., object]]]:
    for info in pkgutil.walk_packages(services_package.__path__, "customer_center.services."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if value.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", value


def _is_principal(parameter: inspect.Parameter) -> bool:
    annotation = parameter.annotation
    if not isinstance(annotation, str):
        annotation = getattr(annotation, "__name__", str(annotation))
    named = {part.strip() for part in annotation.split("|")}
    return bool(named & PRINCIPAL_ANNOTATIONS) or parameter.name in PRINCIPAL_NAMES


def _takes_session_and_principal(parameters: list[inspect.Parameter]) -> bool:
    return (
        len(parameters) >= 2
        and parameters[0].name == "session"
        and parameters[1].kind in POSITIONAL
        and _is_principal(parameters[1])
    )


def _checked() -> list[tuple[str, list[inspect.Parameter]]]:
    found = []
    for name, function in _service_functions():
        parameters = list(inspect.signature(function).parameters.values())
        if _takes_session_and_principal(parameters):
            found.append((name, parameters))
    return found


def test_the_convention_is_checked_on_the_services() -> None:
    assert len(_checked()) > 100


def test_arguments_after_session_and_principal_are_keyword_only() -> None:
    positional = [
        f"{name}({parameter.name})"
        for name, parameters in _checked()
        for parameter in parameters[2:]
        if parameter.kind in POSITIONAL or parameter.kind is inspect.Parameter.VAR_POSITIONAL
    ]
    assert positional == []


def test_the_principal_parameter_is_named_principal() -> None:
    misnamed = [name for name, parameters in _checked() if parameters[1].name != "principal"]
    assert misnamed == []
