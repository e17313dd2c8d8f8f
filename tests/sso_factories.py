"""Single sign-on set up for a test company, the way the settings page saves it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session

from customer_center.auth.oidc import ProviderMetadata
from customer_center.domain.principals import CustomerUser
from customer_center.domain.sso import parse_domains
from customer_center.integrations.erp.protocol import ErpCustomer
from customer_center.models.company import Company
from customer_center.services.identity.sso_settings import SsoForm, save_settings
from customer_center.settings import ENV_DEV, Settings, get_settings
from tests.factories import role_id

SECRET = "client-secret-of-the-test-provider"  # noqa: S105 - a test client's secret


def fake_discover(issuer: str) -> ProviderMetadata:
    """A provider that answers for any issuer (unit tests make no network calls)."""
    return ProviderMetadata(issuer, f"{issuer}/auth", f"{issuer}/token", f"{issuer}/jwks")


def sso_form(
    session: Session,
    actor: CustomerUser,
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


@dataclass(frozen=True)
class ErpListing:
    """An ERP that lists ``domains`` (comma-separated) for one customer number only."""

    customer_number: str
    domains: str

    def get_customer(self, customer_number: str) -> ErpCustomer | None:
        if customer_number != self.customer_number:
            return None
        listed = tuple(parse_domains(self.domains))
        return ErpCustomer(customer_number, "", True, listed, "EUR", "en", "", "", "", "DE")


def listing_for(session: Session, actor: CustomerUser, domains: str) -> ErpListing:
    """The ERP lists exactly ``domains`` for the actor's company."""
    company = session.get(Company, actor.company_id)
    assert company is not None
    return ErpListing(company.customer_number, domains)


def dev_settings() -> Settings:
    """A developer's machine: identity providers on plain http:// are allowed there."""
    return replace(get_settings(), env=ENV_DEV)


def configure_sso(  # type: ignore[no-untyped-def]
    session: Session, actor: CustomerUser, discover=fake_discover, erp=None, settings=None, **kwargs
) -> None:
    """Save the settings; unless ``erp`` says otherwise, the ERP lists the domains saved
    for the company, so they are proven at once."""
    form = sso_form(session, actor, **kwargs)
    erp = erp or listing_for(session, actor, form.domains)
    save_settings(
        session, actor, settings=settings or get_settings(), form=form, discover=discover, erp=erp
    )
    session.commit()
