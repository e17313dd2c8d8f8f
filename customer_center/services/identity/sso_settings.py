"""The main contact's single sign-on settings: the company's identity provider, its e-mail
domains, the role mapping, and whether password sign-in stays on for the company."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from customer_center.auth import secret_box
from customer_center.auth.oidc import OidcError, ProviderMetadata, normalize_issuer
from customer_center.domain import sso
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.permissions import MAIN_CONTACT_ROLE, Permission
from customer_center.domain.principals import CustomerUser
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.identity import SsoConfig, SsoDomain, SsoDomainClaim, UserIdentity
from customer_center.models.user import Role, User
from customer_center.services import audit
from customer_center.services.identity import sso_domains
from customer_center.settings import Settings

Errors = dict[str, tuple[str, dict[str, object]]]
Discover = Callable[[str], ProviderMetadata]
CALLBACK_PATH = "/auth/sso/callback"


def redirect_uri(settings: Settings) -> str:
    return f"{settings.base_url}{CALLBACK_PATH}"


@dataclass(frozen=True)
class SsoForm:
    """The settings form as typed. An empty secret keeps the stored one."""

    issuer: str
    client_id: str
    client_secret: str
    domains: str
    role_claim: str
    groups_by_role: dict[int, str]  # role id -> claim values, comma-separated
    default_role_id: int | None
    enabled: bool


@dataclass(frozen=True)
class SsoSettingsView:
    issuer: str
    client_id: str
    secret_stored: bool
    domains: str
    role_claim: str
    groups_by_role: dict[int, str]
    default_role_id: int | None
    enabled: bool
    password_sign_in_enabled: bool
    domain_states: list[sso_domains.DomainState]
    actor_proven: bool
    main_contact_proven: bool
    actor_email: str


def company_config(session: Session, company_id: int) -> SsoConfig | None:
    return session.exec(select(SsoConfig).where(SsoConfig.company_id == company_id)).first()


def company_domains(session: Session, company_id: int) -> list[str]:
    """The company's proven domains (those that route a sign-in)."""
    return list(
        session.exec(
            select(SsoDomain.domain)
            .where(SsoDomain.company_id == company_id)
            .order_by(col(SsoDomain.domain))
        ).all()
    )


def _waiting_domains(session: Session, company_id: int) -> list[str]:
    return sorted(
        session.exec(select(SsoDomainClaim.domain).where(SsoDomainClaim.company_id == company_id))
    )


def mapping_roles(session: Session, company_id: int) -> list[Role]:
    """The roles a group may give: every role of the company but the main contact's."""
    return list(
        session.exec(
            select(Role)
            .where(Role.company_id == company_id, Role.code != MAIN_CONTACT_ROLE)
            .order_by(col(Role.id))
        ).all()
    )


def has_proven_sso(session: Session, user_id: int) -> bool:
    """The user has signed in through the company's identity provider at least once."""
    return (
        session.exec(
            select(UserIdentity.id).where(
                UserIdentity.user_id == user_id,
                col(UserIdentity.last_sign_in_at).is_not(None),
            )
        ).first()
        is not None
    )


def _main_contact(session: Session, company_id: int) -> User | None:
    return session.exec(
        select(User).where(User.company_id == company_id, col(User.is_main_contact).is_(True))
    ).first()


def settings_view(session: Session, principal: CustomerUser) -> SsoSettingsView:
    principal.require(Permission.COMPANY_MANAGE)
    config = company_config(session, principal.company_id)
    company = session.get(Company, principal.company_id)
    assert company is not None
    main = _main_contact(session, principal.company_id)
    me = session.get(User, principal.user_id)
    codes = {r.code: r.id for r in mapping_roles(session, principal.company_id)}
    states = sso_domains.domain_states(session, principal.company_id)
    groups: dict[int, list[str]] = {}
    for value, code in sorted((config.role_mapping if config else {}).items()):
        if code in codes:
            groups.setdefault(codes[code], []).append(value)  # type: ignore[arg-type]
    return SsoSettingsView(
        issuer=config.issuer if config else "",
        client_id=config.client_id if config else "",
        secret_stored=bool(config and config.client_secret_encrypted),
        domains=", ".join(s.domain for s in states),
        role_claim=config.role_claim if config else "groups",
        groups_by_role={k: ", ".join(v) for k, v in groups.items()},
        default_role_id=config.default_role_id if config else None,
        enabled=bool(config and config.enabled),
        password_sign_in_enabled=company.password_sign_in_enabled,
        domain_states=states,
        actor_proven=has_proven_sso(session, principal.user_id),
        main_contact_proven=main is not None and has_proven_sso(session, main.id),  # type: ignore[arg-type]
        actor_email=me.email if me else "",
    )


# --- saving ------------------------------------------------------------------------------


def _text_errors(form: SsoForm, secret_stored: bool, settings: Settings) -> Errors:
    errors: Errors = {}
    if not form.issuer.strip():
        errors["issuer"] = ("form.required", {})
    elif len(form.issuer.strip()) > 500:
        errors["issuer"] = ("form.too_long", {"max": 500})
    elif sso.issuer_needs_https(form.issuer, settings.is_dev):
        errors["issuer"] = ("sso.error.issuer_https", {})
    if not form.client_id.strip():
        errors["client_id"] = ("form.required", {})
    elif len(form.client_id.strip()) > 255:
        errors["client_id"] = ("form.too_long", {"max": 255})
    if not form.client_secret and not secret_stored:
        errors["client_secret"] = ("form.required", {})
    elif len(form.client_secret) > 1000:
        errors["client_secret"] = ("form.too_long", {"max": 1000})
    if not sso.claim_name_ok(form.role_claim.strip()):
        errors["role_claim"] = ("sso.error.claim_invalid", {})
    return errors


def _domain_errors(domains: list[str]) -> Errors:
    if not domains:
        return {"domains": ("sso.error.domain_required", {})}
    if len(domains) > sso.MAX_DOMAINS:
        return {"domains": ("sso.error.domain_too_many", {"max": sso.MAX_DOMAINS})}
    for domain in domains:
        problem = sso.domain_problem(domain)
        if problem:
            return {"domains": (problem, {"domain": domain})}
    return {}


def _domain_plan(
    session: Session, company: Company, domains: list[str], erp: sso_domains.CustomerDirectory
) -> tuple[sso_domains.DomainPlan, Errors]:
    """Which typed domains are proven (or proven now by the ERP) and which wait."""
    errors = _domain_errors(domains)
    if errors:
        return sso_domains.DomainPlan({}, ()), errors
    listed = sso_domains.erp_domains(erp, company)
    return sso_domains.plan_domains(session, company.id, domains, listed)  # type: ignore[arg-type]


def _mapping(form: SsoForm, roles: dict[int, Role]) -> tuple[dict[str, str], Errors]:
    """``{claim value: role code}`` from the per-role inputs; a value gives one role only."""
    mapping: dict[str, str] = {}
    for role_id, text in sorted(form.groups_by_role.items()):
        role = roles.get(role_id)
        values = [v.strip() for v in text.split(",") if v.strip()]
        if role is None and values:
            return {}, {f"map_{role_id}": ("admin.not_found", {})}
        for value in values:
            if len(value) > sso.CLAIM_VALUE_MAX:
                return {}, {f"map_{role_id}": ("form.too_long", {"max": sso.CLAIM_VALUE_MAX})}
            if value in mapping:
                return {}, {f"map_{role_id}": ("sso.error.group_twice", {"group": value})}
            mapping[value] = role.code  # type: ignore[union-attr]
    if len(mapping) > sso.MAX_MAPPINGS:
        return {}, {"mapping": ("sso.error.mapping_too_many", {"max": sso.MAX_MAPPINGS})}
    return mapping, {}


def _lockout_errors(
    session: Session, company: Company, form: SsoForm, domains: Iterable[str]
) -> Errors:
    """With password sign-in off, SSO is the only way in: it must stay on and keep the main
    contact's domain (proven)."""
    if company.password_sign_in_enabled:
        return {}
    if not form.enabled:
        return {"enabled": ("sso.error.disable_needs_password", {})}
    main = _main_contact(session, company.id)  # type: ignore[arg-type]
    if main is not None and sso.email_domain(main.email) not in domains:
        return {"domains": ("sso.error.main_contact_domain", {"domain": main.email})}
    return {}


DISCOVERY_ERRORS = {
    "unreachable": "sso.error.issuer_unreachable",
    "not_url": "sso.error.issuer_not_url",
    "not_oidc": "sso.error.issuer_not_oidc",
    "issuer_mismatch": "sso.error.issuer_mismatch",
}


def _discovery_errors(discover: Discover, issuer: str) -> Errors:
    try:
        discover(issuer)
    except OidcError as error:
        code = DISCOVERY_ERRORS.get(error.reason, "sso.error.issuer_not_oidc")
        return {"issuer": (code, {})}
    return {}


def _snapshot(
    config: SsoConfig | None, domains: list[str], waiting: list[str]
) -> dict[str, object]:
    """What the audit log records; never the secret, only that one is stored."""
    if config is None:
        return {}
    return {
        "issuer": config.issuer,
        "client_id": config.client_id,
        "domains": domains,
        "domains_waiting": waiting,
        "role_claim": config.role_claim,
        "role_mapping": dict(config.role_mapping),
        "default_role_id": config.default_role_id,
        "enabled": config.enabled,
    }


def _filled(
    config: SsoConfig, form: SsoForm, mapping: dict[str, str], settings: Settings
) -> SsoConfig:
    """The configuration with the form's (checked) values; a new secret only if one was typed."""
    config.issuer = normalize_issuer(form.issuer)
    config.client_id = form.client_id.strip()
    if form.client_secret:
        config.client_secret_encrypted = secret_box.encrypt(settings.secret_key, form.client_secret)
    config.role_claim = form.role_claim.strip()
    config.role_mapping = mapping
    config.default_role_id = form.default_role_id
    config.enabled = form.enabled
    config.updated_at = utcnow()
    return config


def save_settings(
    session: Session,
    principal: CustomerUser,
    *,
    settings: Settings,
    form: SsoForm,
    discover: Discover,
    erp: sso_domains.CustomerDirectory,
) -> None:
    """Check everything (the issuer by fetching its discovery document), then store it all
    or nothing; audited with the values before and after. Domains the ERP lists for the
    company are proven at once, the others wait for their DNS proof."""
    principal.require(Permission.COMPANY_MANAGE)
    company = session.get(Company, principal.company_id)
    assert company is not None
    config = company_config(session, principal.company_id)
    roles = {r.id: r for r in mapping_roles(session, principal.company_id) if r.id is not None}
    domains = sso.parse_domains(form.domains)
    errors = _text_errors(form, bool(config and config.client_secret_encrypted), settings)
    plan, domain_errors = _domain_plan(session, company, domains, erp)
    errors.update(domain_errors)
    mapping, mapping_errors = _mapping(form, roles)
    errors.update(mapping_errors)
    if form.default_role_id not in roles:
        errors["default_role"] = ("sso.error.default_role_required", {})
    if not domain_errors:
        errors.update(_lockout_errors(session, company, form, plan.proven))
    if "issuer" not in errors:
        errors.update(_discovery_errors(discover, form.issuer))
    if errors:
        raise ValidationFailed(errors)
    before = _snapshot(
        config,
        company_domains(session, principal.company_id),
        _waiting_domains(session, principal.company_id),
    )
    blank = SsoConfig(company_id=principal.company_id, issuer="", client_id="")
    config = _filled(config or blank, form, mapping, settings)
    session.add(config)
    sso_domains.store_domains(session, principal.company_id, plan)
    after = {
        **_snapshot(config, sorted(plan.proven), sorted(plan.waiting)),
        "secret_replaced": bool(form.client_secret),
    }
    audit.record_admin(
        session,
        principal,
        action="sso.settings_changed",
        target_type="company",
        target_id=principal.company_id,
        before=before,
        after=after,
    )


# --- password sign-in --------------------------------------------------------------------


def set_password_sign_in(session: Session, principal: CustomerUser, *, enabled: bool) -> None:
    """Switch password sign-in for the whole company. Off only while SSO is on and has been
    proven by the principal's own SSO sign-in, and the main contact's too (never locked out)."""
    principal.require(Permission.COMPANY_MANAGE)
    company = session.get(Company, principal.company_id, with_for_update=True)
    assert company is not None
    if not isinstance(enabled, bool) or company.password_sign_in_enabled == enabled:
        return
    if not enabled:
        _check_can_switch_off(session, principal)
    company.password_sign_in_enabled = enabled
    session.add(company)
    audit.record_admin(
        session,
        principal,
        action="sso.password_sign_in_changed",
        target_type="company",
        target_id=principal.company_id,
        before={"password_sign_in": not enabled},
        after={"password_sign_in": enabled},
    )


def _check_can_switch_off(session: Session, principal: CustomerUser) -> None:
    config = company_config(session, principal.company_id)
    if config is None or not config.enabled:
        raise ServiceError("sso.error.password_needs_sso")
    if not has_proven_sso(session, principal.user_id):
        raise ServiceError("sso.error.password_prove_first")
    main = _main_contact(session, principal.company_id)
    if main is not None and not has_proven_sso(session, main.id):  # type: ignore[arg-type]
        raise ServiceError("sso.error.password_main_contact_unproven")


# --- proving waiting domains ---------------------------------------------------------------


def domains_to_prove(session: Session, principal: CustomerUser) -> list[sso_domains.PendingProof]:
    """The company's waiting domains with the TXT record each needs."""
    principal.require(Permission.COMPANY_MANAGE)
    return sso_domains.pending_proofs(session, principal.company_id)


def prove_domains(
    session: Session,
    principal: CustomerUser,
    *,
    erp: sso_domains.CustomerDirectory,
    published: frozenset[tuple[str, str]],
) -> list[str]:
    """Prove what the ERP lists now or DNS has published (looked up before, outside the
    transaction); returns the domains proven now."""
    principal.require(Permission.COMPANY_MANAGE)
    return sso_domains.record_proofs(session, principal, erp=erp, published=published)
