"""Buttons, badges and notices in Radix's high-contrast variant: text on the soft tints and
white on the solid accent reach WCAG AA (4.5:1), which the default variants of the blue and
green scales miss at small sizes (axe: color-contrast). Used by the buying pages."""

from __future__ import annotations

from typing import Any

import reflex as rx


def button(*children: Any, **props: Any) -> rx.Component:
    return rx.button(*children, high_contrast=True, **props)


def icon_button(*children: Any, **props: Any) -> rx.Component:
    return rx.icon_button(*children, high_contrast=True, **props)


def badge(*children: Any, **props: Any) -> rx.Component:
    return rx.badge(*children, high_contrast=True, **props)


def notice(text: rx.Var | str, color: str = "green", icon: str = "info") -> rx.Component:
    return rx.callout(text, icon=icon, color_scheme=color, width="100%", high_contrast=True)


def callout(*children: Any, **props: Any) -> rx.Component:
    return rx.callout(*children, high_contrast=True, **props)


def callout_root(*children: Any, **props: Any) -> rx.Component:
    return rx.callout.root(*children, high_contrast=True, **props)
