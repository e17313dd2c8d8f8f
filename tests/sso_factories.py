"""Single sign-on set up for a test company, the way the settings page saves it."""

from __future__ import annotations

from sqlmodel import Session

from customer_center.auth.oidc import ProviderMetadata
from customer_center.auth.sessions import Actor
from customer_center.services.sso_settings import SsoForm, save_settings
from customer_center.settings import get_settings
from tests.factories import role_id

SECRET = "client-secret-of-the-test-provider"  # noqa: S105 - a test client's secret


def fake_discover(issuer: str) -> ProviderMetadata:
    """A provider that answers for any issuer (unit tests make no network calls)."""
    return ProviderMetadata(issuer, f"{issuer}/auth", f"{issuer}/token", f"{issuer}/jwks")


def sso_form(
    session: Session,
    actor: Actor,
    *,
    issuer: str = "https://login.alpha.example",
    client_id: str = "portal",
    secret: str = SECRET,
    domains: str = "alpha.example",
    groups: dict[str, str] | None = None,
    default: str = "buyer",
    enabled: bool = True,
) -> SsoForm:
    """``groups`` maps role code -> comma-separated group names."""
    mapping = {role_id(session, actor.company_id, code): v for code, v in (groups or {}).items()}
    return SsoForm(
        issuer=issuer,
        client_id=client_id,
        client_secret=secret,
        domains=domains,
        role_claim="groups",
        groups_by_role=mapping,
        default_role_id=role_id(session, actor.company_id, default),
        enabled=enabled,
    )


def configure_sso(session: Session, actor: Actor, discover=fake_discover, **kwargs) -> None:  # type: ignore[no-untyped-def]
    save_settings(session, actor, get_settings(), sso_form(session, actor, **kwargs), discover)
    session.commit()
