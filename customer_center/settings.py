"""Every setting of the portal, read from ``CC_*`` environment variables.

Safe defaults make ``make run`` work with nothing configured (SQLite, embedded ERP, dev
mailbox). In production the unsafe defaults are refused by :func:`check_production`.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from customer_center.domain.carriers import DEFAULT_TRACKING_URLS, parse_tracking_table
from customer_center.domain.staff import ACTING_IDLE_MINUTES

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENV_DEV = "dev"
ENV_TEST = "test"
ENV_PRODUCTION = "production"


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete; the message says what to change."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    starttls: bool
    use_ssl: bool


ORDER_STATUS_MAIL_CHOICES = frozenset({"shipped", "delivered"})
ORDER_STATUS_MAIL_DEFAULT = ORDER_STATUS_MAIL_CHOICES
ERP_STATUS_TOKEN_MIN = 32

# CC_PASSWORD_HASHING: "standard" (argon2 with the production parameters, the default) or
# "fast" (cheap parameters, for the test suite and the servers it starts; never production).
HASHING_STANDARD = "standard"
HASHING_FAST = "fast"
HASHING_CHOICES = frozenset({HASHING_STANDARD, HASHING_FAST})


@dataclass(frozen=True)
class Settings:
    env: str
    data_dir: Path
    database_url: str
    secret_key: str
    port: int
    base_url: str
    mail_from: str
    smtp: SmtpSettings | None
    erp: str
    erp_url: str
    activation_email_policy: str
    session_days: int
    secure_cookies: bool
    embedded_relay: bool
    redis_url: str
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    # POST /erp/order-status: the ERP sends "Authorization: Bearer <token>"; empty: closed.
    erp_status_token: str = ""
    # Which ERP status updates e-mail the requester (CC_ORDER_STATUS_MAILS, comma-separated).
    order_status_mails: frozenset[str] = ORDER_STATUS_MAIL_DEFAULT
    # Approvals waiting this long remind their approver; this long after the reminder they
    # go to the main contact too (CC_APPROVAL_REMIND_HOURS, CC_APPROVAL_ESCALATE_HOURS).
    approval_remind_hours: int = 48
    approval_escalate_hours: int = 48
    # `customer-center serve`: the address to listen on (behind the reverse proxy) and the
    # number of backend worker processes (0: Reflex's choice, 2 x cores + 1 with Redis).
    host: str = "127.0.0.1"
    workers: int = 0
    # The DNS server that checks the TXT records proving a company's SSO domains (empty: the
    # system's resolvers) and its port (CC_DNS_NAMESERVER, CC_DNS_PORT).
    dns_nameserver: str = ""
    dns_port: int = 53
    # CC_BASE_URL was given (not the dev default http://localhost:CC_PORT).
    base_url_configured: bool = False
    password_hashing: str = HASHING_STANDARD
    # The seller's name as customers know it (CC_SELLER_NAME): on the staff side, in the
    # customers' "your team" and in their audit log ("<name>'s customer care looked at"),
    # and the seller's own identity provider for staff single sign-on (all three or none).
    seller_name: str = "Seller"
    seller_oidc_issuer: str = ""
    seller_oidc_client_id: str = ""
    seller_oidc_client_secret: str = ""
    # An agent's acting session ends after this many minutes without an event
    # (CC_ACTING_IDLE_MINUTES; a fraction for tests).
    acting_idle_minutes: float = ACTING_IDLE_MINUTES
    # Carriers' tracking pages, name -> URL pattern with {number} (CC_CARRIER_TRACKING_URLS:
    # "NAME=URL;NAME=URL", added to the defaults for DHL, UPS, DPD, GLS and FedEx).
    carrier_tracking_urls: dict[str, str] = field(
        default_factory=lambda: dict(DEFAULT_TRACKING_URLS)
    )
    # --- CC_ERP=http: the seller's ERP behind the contract of docs/erp-openapi.yaml ---------
    # A bearer token (CC_ERP_TOKEN) or OAuth2 client credentials (CC_ERP_TOKEN_URL,
    # CC_ERP_CLIENT_ID, CC_ERP_CLIENT_SECRET); seconds per call (CC_ERP_TIMEOUT); how long
    # prices stay cached per customer (CC_ERP_PRICE_TTL); portal users sent to the ERP as
    # contact changes (CC_ERP_CONTACT_SYNC, on by default with CC_ERP=http).
    erp_token: str = ""
    erp_token_url: str = ""
    erp_client_id: str = ""
    erp_client_secret: str = ""
    erp_timeout: float = 5.0
    erp_price_ttl: float = 300.0
    erp_contact_sync: bool = False
    # How long a relay's claim on an outbox message lasts before another relay may take it
    # over (CC_OUTBOX_LEASE_SECONDS; the fault tests shorten it to see a dead relay's work
    # re-claimed within seconds). A delivery must finish well within it.
    outbox_lease_seconds: float = 300.0
    # Days after delivery in which a customer may request a return or a credit
    # (CC_RETURN_WINDOW_DAYS); the seller may set another window per company.
    return_window_days: int = 30

    @property
    def seller_sso(self) -> bool:
        """Staff may sign in through the seller's identity provider."""
        return bool(self.seller_oidc_issuer and self.seller_oidc_client_id)

    @property
    def datasheet_dir(self) -> Path:
        """Where ``/datasheets/<file>`` is served from (the seller's files, or the demo's)."""
        return self.data_dir / "datasheets"

    @property
    def is_dev(self) -> bool:
        return self.env == ENV_DEV

    @property
    def is_production(self) -> bool:
        return self.env == ENV_PRODUCTION


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _flag(name: str, default: bool) -> bool:
    raw = _env(name)
    if not raw:
        return default
    return raw.lower() in {"1", "true", "yes", "on"}


def _dev_secret_key(data_dir: Path) -> str:
    """A secret key generated once and kept in the data folder (dev and test only)."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _smtp_settings() -> SmtpSettings | None:
    host = _env("CC_SMTP_HOST")
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=int(_env("CC_SMTP_PORT", "587")),
        username=_env("CC_SMTP_USER"),
        password=_env("CC_SMTP_PASSWORD"),
        starttls=_flag("CC_SMTP_STARTTLS", True),
        use_ssl=_flag("CC_SMTP_SSL", False),
    )


def load_settings() -> Settings:
    env = _env("CC_ENV", ENV_DEV)
    data_dir = Path(_env("CC_DATA_DIR") or PROJECT_ROOT / "data")
    port = int(_env("CC_PORT", "8000"))
    database_url = _env("CC_DATABASE_URL") or f"sqlite:///{data_dir / 'customer_center.db'}"
    secret_key = _env("CC_SECRET_KEY")
    if not secret_key and env != ENV_PRODUCTION:
        secret_key = _dev_secret_key(data_dir)
    base_url = (_env("CC_BASE_URL") or f"http://localhost:{port}").rstrip("/")
    cors = tuple(
        o.strip().rstrip("/")
        for o in (_env("CC_CORS_ORIGINS") or origin_of(base_url)).split(",")
        if o.strip()
    )
    return Settings(
        env=env,
        data_dir=data_dir,
        database_url=database_url,
        secret_key=secret_key,
        port=port,
        base_url=base_url,
        base_url_configured=bool(_env("CC_BASE_URL")),
        mail_from=_env("CC_MAIL_FROM", "Customer Center <no-reply@customer-center.example>"),
        smtp=_smtp_settings(),
        erp=_env("CC_ERP", "embedded"),
        erp_url=_env("CC_ERP_URL"),
        activation_email_policy=_env("CC_ACTIVATION_EMAIL_POLICY", "contact_or_domain"),
        session_days=int(_env("CC_SESSION_DAYS", "14")),
        secure_cookies=_flag("CC_SECURE_COOKIES", env == ENV_PRODUCTION),
        embedded_relay=_flag("CC_EMBEDDED_RELAY", True),
        redis_url=_env("CC_REDIS_URL"),
        cors_origins=cors,
        erp_status_token=_env("CC_ERP_STATUS_TOKEN"),
        approval_remind_hours=int(_env("CC_APPROVAL_REMIND_HOURS", "48")),
        approval_escalate_hours=int(_env("CC_APPROVAL_ESCALATE_HOURS", "48")),
        order_status_mails=_order_status_mails(),
        host=_env("CC_HOST", "127.0.0.1"),
        workers=int(_env("CC_WORKERS", "0")),
        dns_nameserver=_env("CC_DNS_NAMESERVER"),
        dns_port=int(_env("CC_DNS_PORT", "53")),
        password_hashing=_password_hashing(),
        seller_name=_env("CC_SELLER_NAME")[:100] or "Seller",
        seller_oidc_issuer=_env("CC_SELLER_OIDC_ISSUER"),
        seller_oidc_client_id=_env("CC_SELLER_OIDC_CLIENT_ID"),
        seller_oidc_client_secret=_env("CC_SELLER_OIDC_CLIENT_SECRET"),
        acting_idle_minutes=max(0.05, float(_env("CC_ACTING_IDLE_MINUTES") or ACTING_IDLE_MINUTES)),
        carrier_tracking_urls={
            **DEFAULT_TRACKING_URLS,
            **parse_tracking_table(_env("CC_CARRIER_TRACKING_URLS")),
        },
        erp_token=_env("CC_ERP_TOKEN"),
        erp_token_url=_env("CC_ERP_TOKEN_URL"),
        erp_client_id=_env("CC_ERP_CLIENT_ID"),
        erp_client_secret=_env("CC_ERP_CLIENT_SECRET"),
        erp_timeout=max(0.05, float(_env("CC_ERP_TIMEOUT") or 5.0)),
        erp_price_ttl=max(0.0, float(_env("CC_ERP_PRICE_TTL") or 300.0)),
        erp_contact_sync=_flag("CC_ERP_CONTACT_SYNC", _env("CC_ERP", "embedded") == "http"),
        outbox_lease_seconds=max(1.0, float(_env("CC_OUTBOX_LEASE_SECONDS") or 300)),
        return_window_days=max(0, int(_env("CC_RETURN_WINDOW_DAYS") or 30)),
    )


def _password_hashing() -> str:
    chosen = _env("CC_PASSWORD_HASHING", HASHING_STANDARD).lower()
    if chosen not in HASHING_CHOICES:
        raise ConfigurationError(
            f"CC_PASSWORD_HASHING may be standard or fast (tests only), not {chosen}"
        )
    return chosen


def _order_status_mails() -> frozenset[str]:
    """``shipped,delivered`` (the default), one of them, or ``none``."""
    raw = os.environ.get("CC_ORDER_STATUS_MAILS")
    if raw is None:
        return ORDER_STATUS_MAIL_DEFAULT
    chosen = {part.strip().lower() for part in raw.split(",") if part.strip()}
    unknown = chosen - ORDER_STATUS_MAIL_CHOICES - {"none"}
    if unknown:
        raise ConfigurationError(
            "CC_ORDER_STATUS_MAILS may name shipped, delivered or none, not "
            + ", ".join(sorted(unknown))
        )
    return frozenset(chosen & ORDER_STATUS_MAIL_CHOICES)


def check_production(settings: Settings) -> None:
    """Refuse to run production with an unsafe configuration, saying why."""
    if not settings.is_production:
        return
    problems = [
        *_secret_problems(settings),
        *_web_problems(settings),
        *_scale_problems(settings),
        *_erp_problems(settings),
    ]
    if problems:
        raise ConfigurationError(
            "Unsafe production configuration:" + "".join(f"\n  - {p}" for p in problems)
        )


def _secret_problems(settings: Settings) -> list[str]:
    problems = []
    if len(settings.secret_key) < 32:
        problems.append("CC_SECRET_KEY must be set to a random value of at least 32 characters")
    if settings.smtp is None:
        problems.append("CC_SMTP_HOST must be set (the dev mailbox is not for production)")
    if settings.password_hashing != HASHING_STANDARD:
        problems.append(
            "CC_PASSWORD_HASHING must be standard (fast hashing is for the test suite only)"
        )
    if len(settings.erp_status_token) < ERP_STATUS_TOKEN_MIN:
        problems.append(
            "CC_ERP_STATUS_TOKEN must be set to a random value of at least "
            f"{ERP_STATUS_TOKEN_MIN} characters (the ERP's key for POST /erp/order-status)"
        )
    return problems


def origin_of(url: str) -> str:
    """``https://portal.example.com/x`` -> ``https://portal.example.com``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _web_problems(settings: Settings) -> list[str]:
    """The browser side: TLS, secure cookies, and which pages may open the websocket."""
    problems = []
    if not settings.base_url.startswith("https://"):
        problems.append("CC_BASE_URL must be an https:// address")
    if not settings.secure_cookies:
        problems.append("CC_SECURE_COOKIES must not be switched off")
    origins = settings.cors_origins
    if "*" in origins:
        problems.append("CC_CORS_ORIGINS must list the portal's origins, not '*'")
    elif not origins or any(not origin.startswith("https://") for origin in origins):
        problems.append("CC_CORS_ORIGINS must list https:// origins only")
    elif origin_of(settings.base_url) not in origins:
        problems.append(
            f"CC_CORS_ORIGINS must include {origin_of(settings.base_url)} (the CC_BASE_URL "
            "origin), or the portal's own pages cannot connect"
        )
    return problems


def _erp_problems(settings: Settings) -> list[str]:
    """``CC_ERP=http``: where the ERP is, reached over TLS."""
    if settings.erp != "http":
        return []
    if not settings.erp_url.startswith("https://"):
        return ["CC_ERP_URL must be the ERP service's https:// address (CC_ERP=http)"]
    return []


def _scale_problems(settings: Settings) -> list[str]:
    """Several processes share one database and the sessions' state."""
    problems = []
    if not settings.database_url.startswith("postgresql"):
        problems.append(
            "CC_DATABASE_URL must name a PostgreSQL database (postgresql+psycopg://...): "
            "SQLite is the embedded default for one process and cannot serve several workers "
            "and relays"
        )
    if settings.workers > 1 and not settings.redis_url:
        problems.append(
            "CC_REDIS_URL must be set when CC_WORKERS is more than 1 (the workers share the "
            "sessions' state through Redis)"
        )
    if settings.workers < 0:
        problems.append("CC_WORKERS must be 0 (Reflex's choice) or a number of workers")
    return problems


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
