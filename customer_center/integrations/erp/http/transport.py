"""Calling the ERP over HTTP without hanging the portal: timeouts on every call, retries
with backoff for reads, a circuit breaker, and the credentials (bearer token or OAuth2
client credentials through authlib).

Every failure to get an answer (connection refused, timeout, 5xx, 429, refused credentials,
an open breaker) raises :class:`ErpUnavailable`, which the services turn into "try again
shortly" and the outbox into a later retry. An answer the contract does not allow (400,
422, a body that is not JSON) raises :class:`ErpContractError`: retrying cannot help.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from customer_center.integrations.erp.protocol import ErpUnavailable

try:  # authlib's OAuth2 client is built on httpx2 when it is installed
    import httpx2

    _NO_ANSWER: tuple[type[BaseException], ...] = (httpx.HTTPError, httpx2.HTTPError, OSError)
    _TIMEOUTS: tuple[type[BaseException], ...] = (
        httpx.ReadTimeout,
        httpx.WriteTimeout,
        httpx2.ReadTimeout,
        httpx2.WriteTimeout,
    )
except ImportError:  # pragma: no cover - depends on the installed packages
    _NO_ANSWER = (httpx.HTTPError, OSError)
    _TIMEOUTS = (httpx.ReadTimeout, httpx.WriteTimeout)

log = logging.getLogger(__name__)

Json = dict[str, Any]
Clock = Callable[[], float]
T = TypeVar("T")

READ_RETRIES = 2  # a read is tried at most three times
BACKOFF_SECONDS = 0.1  # 0.1 s, then 0.2 s
WRITE_TIMEOUT_FACTOR = 3  # writes (background only) may take three times a read's timeout
BREAKER_FAILURES = 3  # this many failed calls in a row open the breaker ...
BREAKER_COOLDOWN_SECONDS = 15.0  # ... for this long; then one call may try again


class ErpContractError(ValueError):
    """The ERP answered outside the contract (a bug on one side, not an outage)."""


class CircuitBreaker:
    """Closed while calls succeed; open (calls fail at once) for ``cooldown`` seconds after
    ``failures`` failures in a row; then half-open: one call is let through, and its outcome
    closes or re-opens it. Thread-safe: one breaker per ERP, shared by every worker thread."""

    def __init__(
        self,
        failures: int = BREAKER_FAILURES,
        cooldown: float = BREAKER_COOLDOWN_SECONDS,
        clock: Clock = time.monotonic,
    ) -> None:
        self._failures, self._cooldown, self._clock = failures, cooldown, clock
        self._lock = threading.Lock()
        self._count = 0
        self._open_until = 0.0
        self._trial = False

    def allow(self) -> bool:
        with self._lock:
            if self._count < self._failures:
                return True
            if self._clock() < self._open_until or self._trial:
                return False
            self._trial = True  # half-open: this caller tries, the others keep failing fast
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._count, self._trial = 0, False

    def failed(self) -> None:
        with self._lock:
            self._count += 1
            self._trial = False
            if self._count >= self._failures:
                self._open_until = self._clock() + self._cooldown

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._count >= self._failures and self._clock() < self._open_until


class _Retryable(Exception):
    """An outage worth another try (for reads)."""


class _TimedOut(Exception):
    """The ERP took longer than the call's timeout: not tried again (that would multiply the
    wait the user sees); the breaker counts it."""


def build_http_client(
    base_url: str,
    *,
    timeout: float,
    token: str = "",
    token_url: str = "",
    client_id: str = "",
    client_secret: str = "",
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """The httpx client with the credentials: OAuth2 client credentials when a token URL is
    given (authlib fetches and renews the token), else the fixed bearer token, else none."""
    options: dict[str, Any] = {
        "base_url": base_url.rstrip("/"),
        "timeout": timeout,
        "headers": {"Accept": "application/json"},
    }
    if transport is not None:
        options["transport"] = transport
    if token_url:
        from authlib.integrations.httpx_client import OAuth2Client

        return OAuth2Client(  # an httpx2.Client: the same calls
            client_id=client_id,
            client_secret=client_secret,
            token_endpoint=token_url,
            grant_type="client_credentials",
            **options,
        )
    if token:
        options["headers"]["Authorization"] = f"Bearer {token}"
    return httpx.Client(**options)


class ErpHttp:
    """JSON calls to the ERP with the rules of this module."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        timeout: float,
        breaker: CircuitBreaker | None = None,
        retries: int = READ_RETRIES,
        backoff: float = BACKOFF_SECONDS,
    ) -> None:
        self._client = client
        self._timeout = timeout
        self.breaker = breaker or CircuitBreaker()
        self._retries, self._backoff = retries, backoff
        self._token_lock = threading.Lock()

    def read(self, method: str, path: str, **kwargs: Any) -> Json | None:
        """A safe call (GET, or a POST that only asks): retried with backoff when the ERP
        could not be reached or failed (5xx), not when it was too slow; ``None`` for 404."""
        return self._retrying(lambda: self._call(method, path, **kwargs))

    def read_bytes(self, path: str, *, accept: str = "application/pdf") -> bytes | None:
        """A safe GET of a file (e.g. a document's PDF), retried like :meth:`read`; ``None``
        for 404."""

        def fetch() -> bytes | None:
            response = self._exchange("GET", path, headers={"Accept": accept})
            return None if response is None else response.content

        return self._retrying(fetch)

    def _retrying(self, attempt_once: Callable[[], T]) -> T:
        for attempt in range(self._retries + 1):
            try:
                return attempt_once()
            except _TimedOut as error:
                raise ErpUnavailable(str(error)) from error
            except _Retryable as error:
                if attempt == self._retries or self.breaker.is_open:
                    raise ErpUnavailable(str(error)) from error
                time.sleep(self._backoff * 2**attempt)
        raise AssertionError("unreachable")

    def write(self, path: str, body: Json, *, idempotency_key: str) -> Json:
        """A POST that changes something: tried once (the outbox retries with the same key),
        with more time than a read (it runs in the background, never in front of a user)."""
        try:
            answer = self._call(
                "POST",
                path,
                json=body,
                headers={"Idempotency-Key": idempotency_key},
                timeout=self._timeout * WRITE_TIMEOUT_FACTOR,
            )
        except (_Retryable, _TimedOut) as error:
            raise ErpUnavailable(str(error)) from error
        if answer is None:
            raise ErpContractError(f"POST {path} answered 404")
        return answer

    def _call(self, method: str, path: str, **kwargs: Any) -> Json | None:
        response = self._exchange(method, path, **kwargs)
        if response is None:
            return None
        try:
            data = response.json()
        except ValueError as error:
            raise ErpContractError(f"{method} {path} answered no JSON") from error
        if not isinstance(data, dict):
            raise ErpContractError(f"{method} {path} answered JSON that is no object")
        return data

    def _exchange(self, method: str, path: str, **kwargs: Any) -> Any:
        """The ERP's response (an httpx or httpx2 one), ``None`` for 404; raises for the rest."""
        if not self.breaker.allow():
            raise ErpUnavailable("the ERP is not answering (circuit breaker open)")
        try:
            self._ensure_token()
        except Exception as error:  # the token endpoint: down, or the credentials refused
            self.breaker.failed()
            raise _Retryable(f"token for {method} {path}: {type(error).__name__}") from error
        try:
            kwargs.setdefault("timeout", self._timeout)
            response = self._client.request(method, path, **kwargs)
        except _TIMEOUTS as error:
            self.breaker.failed()
            raise _TimedOut(f"{method} {path}: no answer within the timeout") from error
        except _NO_ANSWER as error:
            self.breaker.failed()
            raise _Retryable(f"{method} {path}: {type(error).__name__}") from error
        if response.status_code >= 500 or response.status_code in (401, 403, 408, 429):
            self.breaker.failed()
            raise _Retryable(f"{method} {path} answered {response.status_code}")
        self.breaker.succeeded()
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise ErpContractError(
                f"{method} {path} answered {response.status_code}: {response.text[:500]}"
            )
        return response

    def _ensure_token(self) -> None:
        """OAuth2: fetch the first token (authlib renews it when it runs out)."""
        fetch = getattr(self._client, "fetch_token", None)
        if fetch is None or getattr(self._client, "token", None):
            return
        with self._token_lock:
            if not getattr(self._client, "token", None):
                fetch(timeout=self._timeout)

    def close(self) -> None:
        self._client.close()
