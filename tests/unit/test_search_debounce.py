"""Typing in a filter box sends one search after a 300 ms pause, not after 600 ms.

An ``rx.input`` bound to a state value is a DebounceInput, which already waits for a pause
in typing (300 ms) before it calls ``on_change``; an event-level ``.debounce(n)`` on that
handler waited another n ms on top (measured: 603 ms from the last key to the search leaving
the browser). The pause belongs to the input (``debounce_timeout``), once.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator

import reflex as rx
from reflex_components_core.core.debounce import DebounceInput

import customer_center.pages


def _walk(component: rx.Component) -> Iterator[rx.Component]:
    yield component
    for child in getattr(component, "children", None) or []:
        if isinstance(child, rx.Component):
            yield from _walk(child)


def _pages() -> Iterator[tuple[str, rx.Component]]:
    for info in pkgutil.iter_modules(customer_center.pages.__path__):
        module = importlib.import_module(f"customer_center.pages.{info.name}")
        for name, fn in vars(module).items():
            if (
                name.endswith("_page")
                and inspect.isfunction(fn)
                and fn.__module__ == module.__name__
                and not inspect.signature(fn).parameters
            ):
                yield f"{info.name}.{name}", fn()


def _doubly_debounced() -> list[str]:
    found = []
    for page, tree in _pages():
        for component in _walk(tree):
            if not isinstance(component, DebounceInput):
                continue
            for trigger, chain in component.event_triggers.items():
                for spec in getattr(chain, "events", []):
                    if "debounce" in getattr(spec, "event_actions", {}):
                        found.append(f"{page}: {spec.handler.fn.__qualname__} ({trigger})")
    return found


def test_every_page_is_walked() -> None:
    names = [page for page, _tree in _pages()]
    assert "users.users_page" in names and "orders.orders_page" in names and len(names) > 15


def test_no_filter_box_waits_twice_for_a_pause_in_typing() -> None:
    assert _doubly_debounced() == []
