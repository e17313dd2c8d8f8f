"""The single sign-on settings page (/company/sign-in): the company's identity provider, its
domains, the role mapping and the company's password sign-in switch."""

from __future__ import annotations

import asyncio

from reflex.event import EventSpec

from customer_center.auth import oidc
from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id
from customer_center.domain.permissions import Permission
from customer_center.presenters.people import role_name
from customer_center.services import wiring
from customer_center.services.identity import sso_domains, sso_settings
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings
from customer_center.state.access import requires
from customer_center.state.base import (
    PortalState,
    field_errors,
    in_transaction,
    text_field,
)
from customer_center.state.sign_in import go_to_sso_start

MANAGE = Permission.COMPANY_MANAGE
MAP_PREFIX = "map_"


def _discover(issuer: str) -> oidc.ProviderMetadata:
    """Always a fresh look at the provider when the settings are saved."""
    return oidc.discover(issuer, fresh=True)


def form_from(form: object) -> sso_settings.SsoForm:
    """The typed form as the service takes it; whatever the client sends, only strings."""
    groups = {}
    if isinstance(form, dict):
        for key in list(form)[:200]:
            if isinstance(key, str) and key.startswith(MAP_PREFIX):
                role_id = parse_id(key.removeprefix(MAP_PREFIX))
                if role_id is not None:
                    groups[role_id] = text_field(form, key, 2000)
    return sso_settings.SsoForm(
        issuer=text_field(form, "issuer", 600),
        client_id=text_field(form, "client_id", 300),
        client_secret=text_field(form, "client_secret", 1001),
        domains=text_field(form, "domains", 6000),
        role_claim=text_field(form, "role_claim", 200),
        groups_by_role=groups,
        default_role_id=parse_id(text_field(form, "default_role", 12)),
        enabled=bool(text_field(form, "enabled", 10)),
    )


class CompanySsoState(PortalState):
    issuer: str = ""
    client_id: str = ""
    secret_stored: bool = False
    domains: str = ""
    role_claim: str = "groups"
    default_role: str = ""
    enabled: bool = False
    role_rows: list[dict[str, str]] = []
    password_on: bool = True
    actor_proven: bool = False
    main_contact_proven: bool = False
    redirect_uri: str = ""
    errors: dict[str, str] = {}
    password_error: str = ""
    test_error: str = ""
    notice: str = ""
    form_round: int = 0
    # One row per domain entered: domain, state (erp, dns, waiting, taken), label, and for a
    # waiting one the TXT record to publish.
    domain_rows: list[dict[str, str]] = []
    has_waiting: bool = False
    domain_notice: str = ""
    _actor_email: str = ""

    async def _reload(self) -> None:
        actor = self._actor()
        view = await in_transaction(sso_settings.settings_view, actor)
        roles = await in_transaction(sso_settings.mapping_roles, actor.company_id)
        self.issuer, self.client_id = view.issuer, view.client_id
        self.secret_stored, self.domains = view.secret_stored, view.domains
        self.role_claim, self.enabled = view.role_claim, view.enabled
        self.default_role = str(view.default_role_id or "")
        self.role_rows = [
            {
                "id": str(r.id),
                "label": role_name(self.lang, r.code, r.name, r.is_builtin),
                "groups": view.groups_by_role.get(r.id, ""),
            }
            for r in roles
            if r.id is not None  # stored roles: always (narrows SQLModel's optional id)
        ]
        self.password_on = view.password_sign_in_enabled
        self.actor_proven, self.main_contact_proven = view.actor_proven, view.main_contact_proven
        self._actor_email = view.actor_email
        self._show_domains(view.domain_states)
        self.form_round += 1

    def _show_domains(self, states: list[sso_domains.DomainState]) -> None:
        self.domain_rows = [
            {
                "domain": s.domain,
                "state": s.state,
                "label": self._t(f"sso.domain_state.{s.state}"),
                "txt_name": s.txt_name,
                "txt_value": s.txt_value,
            }
            for s in states
        ]
        self.has_waiting = any(s.state == sso_domains.WAITING for s in states)

    @requires(MANAGE)
    async def load(self) -> None:
        self.errors, self.password_error, self.notice, self.domain_notice = {}, "", "", ""
        self.redirect_uri = sso_settings.redirect_uri(get_settings())
        await self._reload()

    @requires(MANAGE)
    async def save(self, form: dict) -> None:
        self.errors, self.notice, self.password_error, self.domain_notice = {}, "", "", ""
        typed = form_from(form)
        try:
            await in_transaction(
                sso_settings.save_settings,
                self._actor(),
                settings=get_settings(),
                form=typed,
                discover=_discover,
                erp=erp_client(),
            )
        except ServiceError as error:
            # The form is not drawn again: everything typed (the secret too) stays in place.
            self.errors = field_errors(error, self.lang)
            return
        await self._reload()
        self.notice = self._t("sso.saved")

    @requires(MANAGE)
    async def check_domains(self) -> None:
        """Look for the TXT records of the waiting domains (and ask the ERP again)."""
        self.domain_notice = ""
        actor = self._actor()
        pending = await in_transaction(sso_settings.domains_to_prove, actor)
        published = await asyncio.to_thread(
            sso_domains.published_proofs, pending, wiring.txt_lookup()
        )
        proven = await in_transaction(
            sso_settings.prove_domains, actor, erp=erp_client(), published=published
        )
        await self._reload()
        if proven:
            self.domain_notice = self._t("sso.domains_proven", domains=", ".join(proven))
        else:
            self.domain_notice = self._t("sso.domains_still_waiting")

    @requires(MANAGE)
    async def test_sign_in(self) -> EventSpec | None:
        """Signing in through the provider as oneself, and back to this page (a full page
        load: the start route is no page of the app)."""
        self.notice, self.test_error = "", ""
        try:
            return await go_to_sso_start(self, self._actor_email, routes.COMPANY_SIGN_IN)
        except ServiceError as error:
            self.test_error = self._t(error.code)
            return None

    @requires(MANAGE)
    async def switch_password_sign_in(self, enabled: bool) -> None:
        self.password_error, self.notice = "", ""
        if not isinstance(enabled, bool):
            return
        try:
            await in_transaction(sso_settings.set_password_sign_in, self._actor(), enabled=enabled)
        except ServiceError as error:
            self.password_error = self._t(error.code)
            return
        await self._reload()
        self.notice = self._t("sso.password_on_saved" if enabled else "sso.password_off_saved")
