"""TXT records from DNS (dnspython): how a company proves that an e-mail domain is its own."""

from __future__ import annotations

import dns.exception
import dns.resolver

from customer_center.settings import Settings

LOOKUP_SECONDS = 5.0


def _resolver(settings: Settings) -> dns.resolver.Resolver:
    if not settings.dns_nameserver:
        resolver = dns.resolver.Resolver()
    else:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [settings.dns_nameserver]
        resolver.port = settings.dns_port
    resolver.lifetime = LOOKUP_SECONDS
    return resolver


def txt_values(settings: Settings, name: str) -> frozenset[str]:
    """The TXT strings published at ``name`` (each record's parts joined); none when the
    name does not exist, has no TXT record or DNS does not answer."""
    try:
        answer = _resolver(settings).resolve(name, "TXT", search=False)
    except dns.exception.DNSException:
        return frozenset()
    return frozenset(b"".join(record.strings).decode("utf-8", "replace") for record in answer)
