"""SCIM filters (RFC 7644 3.4.2.2) as SQL conditions on the users table.

``scim2-models`` parses and validates the filter; this module walks its syntax tree and
builds the SQLAlchemy condition, so filtering and paging happen in the database. Supported:
``userName``, ``emails[.value]``, ``externalId``, ``id``, ``displayName``, ``name.formatted``
with ``eq ne co sw ew pr``; ``active`` with ``eq ne pr``; ``and``, ``or``, ``not`` and
``emails[value eq "..."]``. Anything else answers 400 invalidFilter: never an unfiltered list.
"""

from __future__ import annotations

from typing import Any

from scim2_models import InvalidFilterException
from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)
from sqlalchemy import and_, false, func, not_, or_, true
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from customer_center.domain.inputs import LIKE_ESCAPE, like_pattern, parse_id
from customer_center.domain.people import UserStatus
from customer_center.models.user import User

# Attribute (lower-cased, with its sub-attribute) -> (column, compared case-insensitively)
_TEXT_COLUMNS: dict[str, tuple[Any, bool]] = {
    "username": (User.email, True),
    "emails": (User.email, True),
    "emails.value": (User.email, True),
    "externalid": (User.external_id, False),
    "displayname": (User.name, True),
    "name.formatted": (User.name, True),
}


def _key(path: AttrPath, parent: str = "") -> str:
    name = f"{parent}.{path.attr}" if parent else path.attr
    return f"{name}.{path.sub_attr}".lower() if path.sub_attr else name.lower()


def _text(column: Any, lower: bool, op: CompareOperator, value: Any) -> ColumnElement[bool]:
    if not isinstance(value, str):
        raise InvalidFilterException(detail=f"{op} needs a string here")
    target = func.lower(column) if lower else col(column)
    text = value.lower() if lower else value
    if op == CompareOperator.eq:
        return target == text
    if op == CompareOperator.ne:
        return or_(target != text, col(column).is_(None))
    patterns = {
        CompareOperator.co: like_pattern(text, "contains"),
        CompareOperator.sw: like_pattern(text, "starts"),
        CompareOperator.ew: like_pattern(text, "ends"),
    }
    if op not in patterns:
        raise InvalidFilterException(detail=f"{op} is not supported on this attribute")
    return target.like(patterns[op], escape=LIKE_ESCAPE)


def _active(op: CompareOperator, value: Any) -> ColumnElement[bool]:
    if not isinstance(value, bool) or op not in (CompareOperator.eq, CompareOperator.ne):
        raise InvalidFilterException(detail="active compares with eq or ne and true or false")
    wanted = value if op == CompareOperator.eq else not value
    return (
        col(User.status) != UserStatus.INACTIVE
        if wanted
        else col(User.status) == UserStatus.INACTIVE
    )


def _id(op: CompareOperator, value: Any) -> ColumnElement[bool]:
    if op != CompareOperator.eq or not isinstance(value, str):
        raise InvalidFilterException(detail="id compares with eq only")
    user_id = parse_id(value)
    return col(User.id) == user_id if user_id is not None else false()


def _comparison(node: Comparison, parent: str = "") -> ColumnElement[bool]:
    key = _key(node.attr_path, parent)
    if key == "active":
        return _active(node.op, node.value)
    if key == "id":
        return _id(node.op, node.value)
    if key not in _TEXT_COLUMNS:
        raise InvalidFilterException(detail=f"Filtering on {key} is not supported")
    column, lower = _TEXT_COLUMNS[key]
    return _text(column, lower, node.op, node.value)


def _present(node: Present) -> ColumnElement[bool]:
    key = _key(node.attr_path)
    if key in ("active", "id", "username", "emails", "emails.value"):
        return true()
    if key not in _TEXT_COLUMNS:
        raise InvalidFilterException(detail=f"Filtering on {key} is not supported")
    column = col(_TEXT_COLUMNS[key][0])
    return and_(column.is_not(None), column != "")


def user_condition(node: FilterNode, parent: str = "") -> ColumnElement[bool]:
    """The SQL condition of a parsed filter on the users table."""
    if isinstance(node, Comparison):
        return _comparison(node, parent)
    if isinstance(node, Present) and not parent:
        return _present(node)
    if isinstance(node, Not):
        return not_(user_condition(node.expr, parent))
    if isinstance(node, LogicalExpr):
        parts = [user_condition(term, parent) for term in node.terms]
        return and_(*parts) if node.op == LogicalOperator.and_ else or_(*parts)
    if isinstance(node, ValuePath) and node.attr_path.attr.lower() == "emails" and not parent:
        return user_condition(node.val_filter, "emails")
    raise InvalidFilterException(detail=f"This filter is not supported: {node}")
