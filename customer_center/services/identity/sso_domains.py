"""Which e-mail domains are a company's for single sign-on: only proven ones.

A domain is proven when the seller's ERP lists it for the company's customer number, or when
the company has published a TXT record with a random value the portal gave it for that
domain. Until then the domain waits: it routes no sign-in and keeps no other company from
claiming or proving it. A proven domain belongs to one company only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import delete
from sqlmodel import Session, col, select

from customer_center.auth.tokens import new_token
from customer_center.domain import sso
from customer_center.domain.principals import CustomerUser
from customer_center.integrations.erp.protocol import ErpCustomer, ErpUnavailable
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.identity import PROOF_DNS, PROOF_ERP, SsoDomain, SsoDomainClaim
from customer_center.services import audit

Errors = dict[str, tuple[str, dict[str, object]]]
TxtLookup = Callable[[str], frozenset[str]]

WAITING = "waiting"  # entered, not proven yet: publish the TXT record
TAKEN = "taken"  # entered, but another company has proven it


class CustomerDirectory(Protocol):
    """What the proof needs of the ERP (any ErpClient)."""

    def get_customer(self, customer_number: str) -> ErpCustomer | None: ...


@dataclass(frozen=True)
class DomainState:
    domain: str
    state: str  # PROOF_ERP, PROOF_DNS, WAITING or TAKEN
    txt_name: str = ""
    txt_value: str = ""


@dataclass(frozen=True)
class DomainPlan:
    """What saving the typed domains makes of them."""

    proven: dict[str, str]  # domain -> how it is proven
    waiting: tuple[str, ...]


def erp_domains(erp: CustomerDirectory, company: Company) -> frozenset[str]:
    """The domains the ERP lists for the company; none while the ERP does not answer."""
    try:
        customer = erp.get_customer(company.customer_number)
    except ErpUnavailable:
        return frozenset()
    return frozenset(d.strip().lower() for d in customer.email_domains) if customer else frozenset()


def _proven_rows(session: Session, domains: Iterable[str]) -> dict[str, SsoDomain]:
    rows = session.exec(select(SsoDomain).where(col(SsoDomain.domain).in_(list(domains))))
    return {row.domain: row for row in rows}


def plan_domains(
    session: Session, company_id: int, domains: list[str], listed: frozenset[str]
) -> tuple[DomainPlan, Errors]:
    """Proven: those proven already and those the ERP lists; the others wait for their TXT
    record. A domain another company has proven is refused."""
    rows = _proven_rows(session, domains)
    for domain in domains:
        if domain in rows and rows[domain].company_id != company_id:
            return DomainPlan({}, ()), {"domains": ("sso.error.domain_taken", {"domain": domain})}
    proven: dict[str, str] = {}
    waiting: list[str] = []
    for domain in domains:
        if domain in rows:
            proven[domain] = rows[domain].proof
        elif domain in listed:
            proven[domain] = PROOF_ERP
        else:
            waiting.append(domain)
    return DomainPlan(proven, tuple(waiting)), {}


def store_domains(session: Session, company_id: int, plan: DomainPlan) -> None:
    """The company's domains become the plan's; a claim kept keeps its TXT value."""
    session.execute(
        delete(SsoDomain).where(
            col(SsoDomain.company_id) == company_id, col(SsoDomain.domain).not_in(plan.proven)
        )
    )
    session.execute(
        delete(SsoDomainClaim).where(
            col(SsoDomainClaim.company_id) == company_id,
            col(SsoDomainClaim.domain).not_in(plan.waiting),
        )
    )
    have = set(session.exec(select(SsoDomain.domain).where(SsoDomain.company_id == company_id)))
    claimed = set(
        session.exec(select(SsoDomainClaim.domain).where(SsoDomainClaim.company_id == company_id))
    )
    session.add_all(
        SsoDomain(domain=d, company_id=company_id, proof=proof)
        for d, proof in plan.proven.items()
        if d not in have
    )
    session.add_all(
        SsoDomainClaim(company_id=company_id, domain=d, txt_value=new_token())
        for d in plan.waiting
        if d not in claimed
    )
    session.flush()


def _claims(session: Session, company_id: int) -> list[SsoDomainClaim]:
    return list(session.exec(select(SsoDomainClaim).where(SsoDomainClaim.company_id == company_id)))


def domain_states(session: Session, company_id: int) -> list[DomainState]:
    """Every domain the company entered, in alphabetical order, with how far it is proven."""
    proven = session.exec(select(SsoDomain).where(SsoDomain.company_id == company_id))
    claims = _claims(session, company_id)
    taken = _proven_rows(session, (c.domain for c in claims))
    states = [DomainState(row.domain, row.proof) for row in proven]
    states += [
        DomainState(
            claim.domain,
            TAKEN if claim.domain in taken else WAITING,
            sso.txt_record_name(claim.domain),
            sso.txt_record_value(claim.txt_value),
        )
        for claim in claims
    ]
    return sorted(states, key=lambda s: s.domain)


# --- checking the proofs of waiting domains ------------------------------------------------


@dataclass(frozen=True)
class PendingProof:
    domain: str
    txt_name: str
    txt_value: str


def pending_proofs(session: Session, company_id: int) -> list[PendingProof]:
    return [
        PendingProof(c.domain, sso.txt_record_name(c.domain), sso.txt_record_value(c.txt_value))
        for c in _claims(session, company_id)
    ]


def published_proofs(pending: list[PendingProof], lookup: TxtLookup) -> frozenset[tuple[str, str]]:
    """The (domain, TXT value) pairs found in DNS (network; no database)."""
    return frozenset((p.domain, p.txt_value) for p in pending if p.txt_value in lookup(p.txt_name))


def record_proofs(
    session: Session,
    principal: CustomerUser,
    *,
    erp: CustomerDirectory,
    published: frozenset[tuple[str, str]],
) -> list[str]:
    """Prove the waiting domains the ERP now lists or whose TXT record was found (with the
    value the claim still has); returns the domains proven now."""
    company = session.get(Company, principal.company_id)
    assert company is not None
    listed = erp_domains(erp, company)
    claims = _claims(session, principal.company_id)
    taken = _proven_rows(session, (c.domain for c in claims))
    now_proven = []
    for claim in claims:
        claim.checked_at = utcnow()
        session.add(claim)
        proof = _proof_of(claim, listed, published)
        if proof is None or claim.domain in taken:
            continue
        session.delete(claim)
        session.add(SsoDomain(domain=claim.domain, company_id=principal.company_id, proof=proof))
        audit.record_admin(
            session,
            principal,
            action="sso.domain_proven",
            target_type="company",
            target_id=principal.company_id,
            after={"domain": claim.domain, "proof": proof},
        )
        now_proven.append(claim.domain)
    session.flush()
    return sorted(now_proven)


def _proof_of(
    claim: SsoDomainClaim, listed: frozenset[str], published: frozenset[tuple[str, str]]
) -> str | None:
    if claim.domain in listed:
        return PROOF_ERP
    if (claim.domain, sso.txt_record_value(claim.txt_value)) in published:
        return PROOF_DNS
    return None
