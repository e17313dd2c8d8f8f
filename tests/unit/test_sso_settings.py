"""The single sign-on settings: checked field by field, the secret encrypted, domains owned by
one company, password sign-in switched off only when nobody is locked out."""

import pytest
from sqlmodel import Session, select

from customer_center.auth import secret_box
from customer_center.auth.oidc import OidcError
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.models.audit import AuditEntry
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.identity import (
    PROOF_DNS,
    PROOF_ERP,
    SsoConfig,
    SsoDomain,
    UserIdentity,
)
from customer_center.services.identity import sso_domains, sso_settings
from customer_center.services.identity.sso_sign_in import choice_for_email
from customer_center.settings import get_settings
from tests.factories import actor_for, make_company, make_user, role_id
from tests.sso_factories import (
    SECRET,
    ErpListing,
    configure_sso,
    dev_settings,
    fake_discover,
    listing_for,
    sso_form,
)


def _errors(session, actor, discover=fake_discover, settings=None, **kwargs) -> dict:  # type: ignore[no-untyped-def]
    form = sso_form(session, actor, **kwargs)
    erp = listing_for(session, actor, form.domains)
    with pytest.raises(ValidationFailed) as refused:
        sso_settings.save_settings(
            session,
            actor,
            settings=settings or get_settings(),
            form=form,
            discover=discover,
            erp=erp,
        )
    session.rollback()
    return {field: code for field, (code, _params) in refused.value.errors.items()}


def test_saved_settings_read_back_with_the_secret_encrypted(session: Session) -> None:
    actor = make_company(session, "A-1")
    configure_sso(session, actor, groups={"approver": "heads, leads", "buyer": "purchasing"})
    config = session.exec(select(SsoConfig)).one()
    assert SECRET not in config.client_secret_encrypted
    assert secret_box.decrypt(get_settings().secret_key, config.client_secret_encrypted) == SECRET
    assert config.role_mapping == {"heads": "approver", "leads": "approver", "purchasing": "buyer"}
    view = sso_settings.settings_view(session, actor)
    assert (view.issuer, view.secret_stored, view.domains, view.enabled) == (
        "https://login.alpha.example",
        True,
        "alpha.example",
        True,
    )
    assert SECRET not in repr(view)
    audit = session.exec(
        select(AuditEntry).where(AuditEntry.action == "sso.settings_changed")
    ).one()
    assert SECRET not in str(audit.after) and audit.after["secret_replaced"] is True


def test_an_empty_secret_keeps_the_stored_one(session: Session) -> None:
    actor = make_company(session, "A-1")
    configure_sso(session, actor)
    stored = session.exec(select(SsoConfig)).one().client_secret_encrypted
    configure_sso(session, actor, secret="", client_id="portal-2")
    config = session.exec(select(SsoConfig)).one()
    assert (config.client_id, config.client_secret_encrypted) == ("portal-2", stored)


def test_every_wrong_field_is_named_and_nothing_is_saved(session: Session) -> None:
    actor = make_company(session, "A-1")
    errors = _errors(
        session,
        actor,
        issuer="",
        client_id="",
        secret="",
        domains="gmail.com",
        groups={"buyer": "x", "approver": "x"},
    )
    assert errors == {
        "issuer": "form.required",
        "client_id": "form.required",
        "client_secret": "form.required",
        "domains": "sso.error.domain_public",
        f"map_{role_id(session, actor.company_id, 'approver')}": "sso.error.group_twice",
    }
    assert session.exec(select(SsoConfig)).first() is None


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("unreachable", "sso.error.issuer_unreachable"),
        ("not_oidc", "sso.error.issuer_not_oidc"),
        ("issuer_mismatch", "sso.error.issuer_mismatch"),
    ],
)
def test_the_issuer_is_checked_by_its_discovery_document(
    session: Session, reason: str, message: str
) -> None:
    actor = make_company(session, "A-1")

    def failing(_issuer: str):  # type: ignore[no-untyped-def]
        raise OidcError(reason)

    assert _errors(session, actor, discover=failing) == {"issuer": message}


def test_a_domain_belongs_to_one_company_only(session: Session) -> None:
    alpha = make_company(session, "A-1")
    beta = make_company(session, "B-1", "Beta AG")
    configure_sso(session, alpha, domains="alpha.example, shared.example")
    assert _errors(session, beta, domains="beta.example, shared.example") == {
        "domains": "sso.error.domain_taken"
    }
    configure_sso(session, alpha, domains="alpha.example")  # alpha lets it go
    configure_sso(session, beta, domains="beta.example, shared.example")
    owners = dict(session.exec(select(SsoDomain.domain, SsoDomain.company_id)).all())
    assert owners["shared.example"] == beta.company_id


def test_no_main_contact_role_in_the_mapping_and_a_default_is_needed(session: Session) -> None:
    actor = make_company(session, "A-1")
    errors = _errors(session, actor, groups={"main_contact": "it"}, default="main_contact")
    assert errors["default_role"] == "sso.error.default_role_required"
    assert any(code == "admin.not_found" for code in errors.values())


def test_only_the_company_manager_may_see_or_save(session: Session) -> None:
    actor = make_company(session, "A-1")
    buyer = actor_for(session, make_user(session, actor.company_id, "b@alpha.example", ["buyer"]))
    with pytest.raises(ServiceError, match="error.permission_denied"):
        sso_settings.settings_view(session, buyer)
    with pytest.raises(ServiceError, match="error.permission_denied"):
        sso_settings.save_settings(
            session,
            buyer,
            settings=get_settings(),
            form=sso_form(session, actor),
            discover=fake_discover,
            erp=listing_for(session, actor, "alpha.example"),
        )


def _prove(session: Session, user_id: int, company_id: int) -> None:
    session.add(
        UserIdentity(
            user_id=user_id,
            company_id=company_id,
            issuer="https://login.alpha.example",
            subject=f"s-{user_id}",
            last_sign_in_at=utcnow(),
        )
    )
    session.commit()


def test_password_sign_in_goes_off_only_after_the_actor_proved_sso(session: Session) -> None:
    actor = make_company(session, "A-1")
    with pytest.raises(ServiceError, match="sso.error.password_needs_sso"):
        sso_settings.set_password_sign_in(session, actor, enabled=False)
    configure_sso(session, actor)
    with pytest.raises(ServiceError, match="sso.error.password_prove_first"):
        sso_settings.set_password_sign_in(session, actor, enabled=False)
    _prove(session, actor.user_id, actor.company_id)
    sso_settings.set_password_sign_in(session, actor, enabled=False)
    session.commit()
    assert session.get(Company, actor.company_id).password_sign_in_enabled is False  # type: ignore[union-attr]
    assert session.exec(
        select(AuditEntry).where(AuditEntry.action == "sso.password_sign_in_changed")
    ).one().after == {"password_sign_in": False}
    # With passwords off, SSO cannot be switched off nor the main contact's domain dropped.
    assert _errors(session, actor, enabled=False) == {"enabled": "sso.error.disable_needs_password"}
    assert _errors(session, actor, domains="other.example") == {
        "domains": "sso.error.main_contact_domain"
    }


def test_another_manager_cannot_lock_the_main_contact_out(session: Session) -> None:
    main = make_company(session, "A-1")
    configure_sso(session, main)
    deputy_user = make_user(session, main.company_id, "deputy@a-1.example", ["main_contact"])
    deputy = actor_for(session, deputy_user)
    _prove(session, deputy.user_id, main.company_id)
    with pytest.raises(ServiceError, match="sso.error.password_main_contact_unproven"):
        sso_settings.set_password_sign_in(session, deputy, enabled=False)


def _states(session: Session, actor) -> dict[str, sso_domains.DomainState]:  # type: ignore[no-untyped-def]
    return {s.domain: s for s in sso_settings.settings_view(session, actor).domain_states}


def test_a_domain_the_erp_does_not_list_waits_for_its_proof_and_routes_nothing(
    session: Session,
) -> None:
    squatter = make_company(session, "A-1")
    owner = make_company(session, "B-1", "Beta AG")
    configure_sso(
        session,
        squatter,
        domains="a-1.example, beta.example",
        erp=ErpListing("A-1", "a-1.example"),
    )
    states = _states(session, squatter)
    assert states["a-1.example"].state == PROOF_ERP
    waiting = states["beta.example"]
    assert waiting.state == sso_domains.WAITING
    assert waiting.txt_name == "_customer-center.beta.example"
    assert waiting.txt_value.startswith("customer-center-domain-proof=")
    assert sso_settings.company_domains(session, squatter.company_id) == ["a-1.example"]
    assert choice_for_email(session, "jane@beta.example").sso is False
    assert choice_for_email(session, "jane@a-1.example").sso is True

    # The claim keeps nobody out: the company the ERP lists it for proves it at once.
    configure_sso(session, owner, domains="beta.example", erp=ErpListing("B-1", "beta.example"))
    assert _states(session, owner)["beta.example"].state == PROOF_ERP
    assert _states(session, squatter)["beta.example"].state == sso_domains.TAKEN
    # Even a TXT record with the squatter's value cannot take it over any more.
    published = frozenset({("beta.example", waiting.txt_value)})
    assert (
        sso_settings.prove_domains(
            session, squatter, erp=ErpListing("A-1", ""), published=published
        )
        == []
    )
    session.commit()
    owners = dict(session.exec(select(SsoDomain.domain, SsoDomain.company_id)).all())
    assert owners["beta.example"] == owner.company_id


def test_a_published_txt_record_with_the_claims_own_value_proves_the_domain(
    session: Session,
) -> None:
    actor = make_company(session, "A-1")
    nobody = ErpListing("A-1", "")
    configure_sso(session, actor, domains="alpha.example", erp=nobody)
    pending = sso_settings.domains_to_prove(session, actor)
    assert [p.domain for p in pending] == ["alpha.example"]
    configure_sso(session, actor, domains="alpha.example", erp=nobody)  # saved again
    assert sso_settings.domains_to_prove(session, actor) == pending  # the same value to publish
    other_value = frozenset({("alpha.example", "customer-center-domain-proof=guessed")})
    assert sso_settings.prove_domains(session, actor, erp=nobody, published=other_value) == []
    published = sso_domains.published_proofs(
        pending,
        lambda name: (
            frozenset({pending[0].txt_value}) if name == pending[0].txt_name else frozenset()
        ),
    )
    assert sso_settings.prove_domains(session, actor, erp=nobody, published=published) == [
        "alpha.example"
    ]
    session.commit()
    assert _states(session, actor)["alpha.example"] == sso_domains.DomainState(
        "alpha.example", PROOF_DNS
    )
    assert choice_for_email(session, "anna@alpha.example").sso is True
    audit = session.exec(select(AuditEntry).where(AuditEntry.action == "sso.domain_proven")).one()
    assert audit.after == {"domain": "alpha.example", "proof": "dns"}


def test_the_erp_listing_a_waiting_domain_later_proves_it_on_the_next_check(
    session: Session,
) -> None:
    actor = make_company(session, "A-1")
    configure_sso(session, actor, domains="alpha.example", erp=ErpListing("A-1", ""))
    listed = ErpListing("A-1", "alpha.example")
    assert sso_settings.prove_domains(session, actor, erp=listed, published=frozenset()) == [
        "alpha.example"
    ]


def test_the_issuer_must_be_https_outside_dev_mode(session: Session) -> None:
    actor = make_company(session, "A-1")

    def never(_issuer: str):  # type: ignore[no-untyped-def]
        raise AssertionError("an http:// issuer must not be fetched")

    assert _errors(session, actor, discover=never, issuer="http://login.alpha.example") == {
        "issuer": "sso.error.issuer_https"
    }
    assert _errors(session, actor, discover=never, issuer="HTTP://10.0.0.1:8080") == {
        "issuer": "sso.error.issuer_https"
    }
    configure_sso(session, actor, issuer="http://localhost:9000", settings=dev_settings())
    assert session.exec(select(SsoConfig.issuer)).one() == "http://localhost:9000"
