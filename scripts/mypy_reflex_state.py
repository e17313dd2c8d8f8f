"""mypy plugin: a Reflex state's var, read on the class, is a Var.

``AbsenceState.errors`` is a ``dict[str, str]`` on a state instance (in an event handler) but
an ``ObjectVar`` on the class (in a component: ``S.errors["name"]``, ``S.errors.contains(...)``).
Reflex's own answer for type checkers, declaring each var as ``rx.Field[T]``, resolves to
``ArrayVar[Never]`` under mypy (the overloads of ``Field.__get__`` rely on how pyright matches
``self`` types), so this plugin types the class access the way Reflex builds it at runtime: a
``bool`` is a ``BooleanVar``, a number a ``NumberVar``, a ``str`` a ``StringVar``, a list or
tuple an ``ArrayVar``, a dict an ``ObjectVar``, anything else a ``Var``. Private (backend) vars,
class variables and methods keep their declared types. Enabled in pyproject ``[tool.mypy]``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from mypy.nodes import TypeInfo, Var
from mypy.plugin import AttributeContext, Plugin
from mypy.types import Instance, NoneType, Type, UnionType, get_proper_type

BASE_STATE = "reflex.state.BaseState"
VARS = "reflex_base.vars"
_ARRAYS = {"builtins.list", "builtins.tuple", "typing.Sequence"}
_OBJECTS = {"builtins.dict", "typing.Mapping"}
_NUMBERS = {"builtins.int", "builtins.float"}


def _var_of(plugin: Plugin, ctx: AttributeContext) -> Type:
    """The Var class Reflex makes of a var declared with ``ctx.default_attr_type``."""

    def var_class(name: str, argument: Type | None) -> Type:
        found = plugin.lookup_fully_qualified(f"{VARS}.{name}")
        if found is None or not isinstance(found.node, TypeInfo):
            return ctx.default_attr_type
        return Instance(found.node, [] if argument is None else [argument])

    declared = get_proper_type(ctx.default_attr_type)
    value = declared
    if isinstance(declared, UnionType):
        # ``str | None`` is a StringVar as well (as Reflex's own overloads say).
        present = [
            item for item in map(get_proper_type, declared.items) if not isinstance(item, NoneType)
        ]
        if len(present) == 1:
            value = present[0]
    if isinstance(value, Instance):
        name = value.type.fullname
        if name == "builtins.bool":
            return var_class("number.BooleanVar", None)
        if name in _NUMBERS:
            return var_class("number.NumberVar", value)
        if name == "builtins.str":
            return var_class("sequence.StringVar", value)
        if name in _ARRAYS:
            return var_class("sequence.ArrayVar", value)
        if name in _OBJECTS:
            return var_class("object.ObjectVar", value)
    return var_class("base.Var", ctx.default_attr_type)


class ReflexStatePlugin(Plugin):
    def get_class_attribute_hook(self, fullname: str) -> Callable[[AttributeContext], Type] | None:
        owner_name, _, attribute = fullname.rpartition(".")
        if attribute.startswith("_"):
            return None
        owner = self.lookup_fully_qualified(owner_name)
        if owner is None or not isinstance(owner.node, TypeInfo):
            return None
        if not owner.node.has_base(BASE_STATE):
            return None
        # The class declaring it: only the project's states (Reflex types its own attributes).
        declaring = next((info for info in owner.node.mro if attribute in info.names), None)
        if declaring is None or declaring.module_name.startswith("reflex"):
            return None
        var = declaring.names[attribute].node
        # A var is an annotated class attribute: not a method, a class variable or a value
        # assigned without annotation (handlers made by a function, like the page turners).
        if not isinstance(var, Var) or var.is_inferred or var.is_classvar or var.is_final:
            return None
        if var.is_property or var.is_settable_property:
            return None
        return partial(_var_of, self)


def plugin(version: str) -> type[Plugin]:
    return ReflexStatePlugin
