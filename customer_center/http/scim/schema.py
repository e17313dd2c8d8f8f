"""The SCIM schemas the portal publishes: the core User and Group schemas cut down to what the
portal stores, so clients (and the compliance checks) see exactly what is kept.

Attributes a provider sends that the portal does not keep (nickName, phoneNumbers, title,
password...) are ignored rather than refused, as identity providers send them routinely.
"""

from typing import Annotated, Any, ClassVar, Union

from pydantic import ConfigDict, Field
from scim2_models import (
    URN,
    CaseExact,
    ComplexAttribute,
    Email,
    GroupMembership,
    Mutability,
    Reference,
    Required,
    Resource,
    Returned,
    Uniqueness,
)

IGNORE_UNKNOWN = ConfigDict(extra="ignore")


class Name(ComplexAttribute):
    """Builds the portal's name of the user when no ``displayName`` is sent (``formatted``,
    else ``givenName familyName``). Never returned: ``displayName`` carries the name."""

    model_config = IGNORE_UNKNOWN

    formatted: str | None = None
    family_name: str | None = None
    given_name: str | None = None


class User(Resource[Any]):
    """A portal user. userName is the sign-in e-mail address (also the one ``emails`` entry);
    displayName is the name; preferredLanguage is en or de; groups are the portal roles."""

    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:User")
    model_config = IGNORE_UNKNOWN

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    name: Annotated[Name | None, Mutability.write_only, Returned.never] = None
    Name: ClassVar[type[ComplexAttribute]] = Name
    display_name: str | None = None
    preferred_language: Annotated[str | None, Field(examples=["en", "de"])] = None
    active: bool | None = None
    emails: Annotated[list[Email] | None, Mutability.read_only] = None
    groups: Annotated[list[GroupMembership] | None, Mutability.read_only] = None


class GroupMember(ComplexAttribute):
    """A holder of the role: ``value`` is the user's id (``display`` is not returned)."""

    model_config = IGNORE_UNKNOWN

    value: Annotated[str | None, Mutability.immutable, CaseExact.true] = None
    ref: Annotated[
        Reference[Union["User", "Group"]] | None,  # noqa: UP007, UP037
        Mutability.immutable,
    ] = Field(None, serialization_alias="$ref", validation_alias="$ref")
    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=["User"])
    display: Annotated[str | None, Mutability.read_only] = None


class Group(Resource[Any]):
    """A portal role: built-in roles keep their English names; members are its holders."""

    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:Group")
    model_config = IGNORE_UNKNOWN

    display_name: Annotated[str | None, Required.true] = None
    members: list[GroupMember] | None = None
