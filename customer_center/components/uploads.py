"""A file drop zone whose hidden file input has a name (axe: every form element a label).

``rx.upload.root`` makes its own ``<input type="file">`` without attributes; a screen reader
that reaches it announces an unnamed control. :func:`named_upload` gives it ``aria-label``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import reflex as rx
from reflex_components_core.el.elements.forms import Input


def _walk(component: rx.Component) -> Iterator[rx.Component]:
    yield component
    for child in getattr(component, "children", None) or []:
        if isinstance(child, rx.Component):
            yield from _walk(child)


def named_upload(*children: rx.Component, label: rx.Var | str, **props: Any) -> rx.Component:
    zone = rx.upload.root(*children, **props)
    for part in _walk(zone):
        if isinstance(part, Input):
            part.custom_attrs["aria-label"] = label
    return zone
