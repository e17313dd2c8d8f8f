"""The OpenID Connect relying party: discovery, authorization URL with PKCE, code exchange and
ID token verification against the provider's keys (authlib + its JOSE library joserfc).

Every network call goes through httpx with timeouts; callers run these functions in a worker
thread. Nothing here logs a secret or a token.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from threading import Lock
from typing import Any

import authlib.deprecate  # noqa: F401, I001 - its warning filter first, so ours below wins
import httpx
from authlib.common.errors import AuthlibBaseError
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidTokenError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

with warnings.catch_warnings():
    # authlib prefers the httpx2 fork and warns when it falls back to httpx, which works.
    warnings.simplefilter("ignore")
    from authlib.integrations.httpx_client import OAuth2Client

TIMEOUT = httpx.Timeout(5.0, connect=3.0)
TIMEOUT_SECONDS = 5.0
CACHE_SECONDS = 300
LEEWAY_SECONDS = 60
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
SCOPES = "openid email profile"


def scope_for(metadata: ProviderMetadata, role_claim: str) -> str:
    """The standard scopes, plus one named like the role claim where the provider offers it
    (Keycloak, oidc-provider); others (Entra ID) add group claims without a scope."""
    extra = role_claim if role_claim in metadata.scopes_supported else ""
    return f"{SCOPES} {extra}".strip()


class OidcError(Exception):
    """A refusal with a short reason (``unreachable``, ``signature``, ``audience``...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    scopes_supported: tuple[str, ...] = ()


def normalize_issuer(issuer: str) -> str:
    return issuer.strip().rstrip("/")


_cache: dict[str, tuple[float, Any]] = {}
_cache_lock = Lock()


def _cached(key: str) -> Any | None:
    with _cache_lock:
        hit = _cache.get(key)
    return hit[1] if hit and time.monotonic() - hit[0] < CACHE_SECONDS else None


def _remember(key: str, value: Any) -> Any:
    with _cache_lock:
        _cache[key] = (time.monotonic(), value)
    return value


def forget_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = httpx.get(url, timeout=TIMEOUT, follow_redirects=False)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise OidcError("unreachable") from error
    if not isinstance(data, dict):
        raise OidcError("not_oidc")
    return data


def discover(issuer: str, *, fresh: bool = False) -> ProviderMetadata:
    """The provider's metadata from ``<issuer>/.well-known/openid-configuration``, checked:
    the document must name exactly this issuer and the endpoints a code flow needs."""
    issuer = normalize_issuer(issuer)
    if not issuer.startswith(("https://", "http://")):
        raise OidcError("not_url")
    cached = None if fresh else _cached(f"discovery:{issuer}")
    if cached is not None:
        return cached
    data = _get_json(f"{issuer}/.well-known/openid-configuration")
    fields = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if not all(isinstance(data.get(f), str) and data[f] for f in fields):
        raise OidcError("not_oidc")
    if normalize_issuer(str(data.get("issuer", ""))) != issuer:
        raise OidcError("issuer_mismatch")
    scopes = data.get("scopes_supported")
    metadata = ProviderMetadata(
        issuer=issuer,
        authorization_endpoint=str(data["authorization_endpoint"]),
        token_endpoint=str(data["token_endpoint"]),
        jwks_uri=str(data["jwks_uri"]),
        scopes_supported=tuple(s for s in scopes if isinstance(s, str))
        if isinstance(scopes, list)
        else (),
    )
    return _remember(f"discovery:{issuer}", metadata)


def signing_keys(jwks_uri: str, *, fresh: bool = False) -> KeySet:
    cached = None if fresh else _cached(f"jwks:{jwks_uri}")
    if cached is not None:
        return cached
    try:
        keys = KeySet.import_key_set(_get_json(jwks_uri))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError) as error:
        raise OidcError("unreachable") from error
    return _remember(f"jwks:{jwks_uri}", keys)


def _client(client_id: str, client_secret: str, redirect_uri: str) -> OAuth2Client:
    return OAuth2Client(
        client_id=client_id,
        client_secret=client_secret,
        redirect_uri=redirect_uri,
        scope=SCOPES,
        code_challenge_method="S256",
        timeout=TIMEOUT_SECONDS,
    )


@dataclass(frozen=True)
class AuthorizationRequest:
    state: str
    nonce: str
    code_verifier: str
    scope: str


def authorization_url(
    metadata: ProviderMetadata, client_id: str, redirect_uri: str, request: AuthorizationRequest
) -> str:
    with _client(client_id, "", redirect_uri) as client:
        url, _state = client.create_authorization_url(
            metadata.authorization_endpoint,
            state=request.state,
            nonce=request.nonce,
            code_verifier=request.code_verifier,
            scope=request.scope,
        )
    return str(url)


def exchange_code(
    metadata: ProviderMetadata,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    code: str,
    code_verifier: str,
) -> str:
    """Trade the authorization code for tokens; returns the raw ID token."""
    try:
        with _client(client_id, client_secret, redirect_uri) as client:
            token = client.fetch_token(
                metadata.token_endpoint, code=code, code_verifier=code_verifier
            )
    except httpx.HTTPError as error:
        raise OidcError("unreachable") from error
    except AuthlibBaseError as error:  # the provider said no (invalid_grant, ...)
        raise OidcError("code_refused") from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError("no_id_token")
    return id_token


def _decode(id_token: str, keys: KeySet) -> jwt.Token:
    return jwt.decode(id_token, keys, algorithms=list(ALGORITHMS))


def verify_id_token(
    id_token: str, metadata: ProviderMetadata, client_id: str, nonce: str
) -> dict[str, Any]:
    """The ID token's claims if its signature, issuer, audience, times and nonce hold."""
    try:
        try:
            token = _decode(id_token, signing_keys(metadata.jwks_uri))
        except (ValueError, JoseError):
            # The provider may have rotated its keys since we cached them: look once more.
            token = _decode(id_token, signing_keys(metadata.jwks_uri, fresh=True))
    except (BadSignatureError, ValueError, JoseError) as error:
        raise OidcError("signature") from error
    claims = dict(token.claims)
    _check_claims(claims, metadata.issuer, client_id, nonce)
    return claims


def _check_claims(claims: dict[str, Any], issuer: str, client_id: str, nonce: str) -> None:
    if normalize_issuer(str(claims.get("iss", ""))) != issuer:
        raise OidcError("issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences or (len(audiences) > 1 and claims.get("azp") != client_id):
        raise OidcError("audience")
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as error:
        raise OidcError("expired") from error
    except (InvalidClaimError, MissingClaimError, InvalidTokenError) as error:
        raise OidcError("claims") from error
    if not isinstance(claims.get("iat"), int | float) or claims["iat"] > time.time() + 300:
        raise OidcError("claims")
    if not nonce or claims.get("nonce") != nonce:
        raise OidcError("nonce")
