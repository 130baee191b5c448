"""The hand-written layer over the generated client: what generation cannot do.

``connect()`` returns the generated ``Client`` wired to an ``httpx.Client`` that
* fetches an access token with client credentials (RFC 6749 §4.4) from a client secret or, with
  ``private_key_pem``, a signed ``private_key_jwt`` assertion (RFC 7523 §2.2), and renews it before it expires
  or once when the API answers 401;
* sends an ``Idempotency-Key`` on every ``POST`` and ``PATCH`` that lacks one, the same key on each retry;
* remembers each referral's ``ETag`` from the last read (``last_etag()``, for the generated operations'
  ``if_match``) and sends it as ``If-Match`` on a raw ``PATCH`` that has none;
* retries 429 and 503 with exponential backoff, honouring ``Retry-After``;
* logs a warning when a response carries ``Deprecation`` (the API's change policy).

``pages()`` iterates a cursor-paginated list operation of the generated client::

    from partner_referral_api_client.session import connect, pages
    from partner_referral_api_client.api.referrals import referrals_list

    api = connect("https://referrals.example.gov", client_id="...", client_secret="...")
    for referral in pages(referrals_list, api, direction="incoming"):
        print(referral.reference, referral.status)
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from .client import AuthenticatedClient

log = logging.getLogger("partner_referral_api_client")

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
RETRY_STATUSES = (429, 503)
WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")


class TokenError(RuntimeError):
    """The token endpoint refused the client's credentials (its ``error`` and ``error_description``)."""


class _Tokens:
    """Client-credentials tokens, renewed a little before they expire."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str | None,
        private_key_pem: bytes | None,
        key_id: str | None,
        scope: str | None,
        transport: httpx.BaseTransport | None,
    ) -> None:
        if (client_secret is None) == (private_key_pem is None):
            raise ValueError("give exactly one of client_secret and private_key_pem")
        self.token_url = base_url.rstrip("/") + "/oauth/token/"
        self.client_id, self.client_secret, self.scope = client_id, client_secret, scope
        self.private_key_pem, self.key_id = private_key_pem, key_id
        self._http = httpx.Client(transport=transport, timeout=30)
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0

    def get(self, *, renew: bool = False) -> str:
        with self._lock:
            if renew or self._token is None or time.monotonic() > self._expires_at - 30:
                self._token, lifetime = self._fetch()
                self._expires_at = time.monotonic() + lifetime
            return self._token

    def _fetch(self) -> tuple[str, float]:
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        auth = None
        if self.client_secret is not None:
            auth = (self.client_id, self.client_secret)
        else:
            form.update(
                client_id=self.client_id, client_assertion_type=ASSERTION_TYPE, client_assertion=self._assertion()
            )
        response = self._http.post(self.token_url, data=form, auth=auth)
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        if response.status_code != 200:
            raise TokenError(f"{body.get('error', response.status_code)}: {body.get('error_description', '')}")
        return body["access_token"], float(body.get("expires_in", 300))

    def _assertion(self) -> str:
        """A signed client assertion (RFC 7523 §3): iss = sub = client id, aud = the token endpoint, 5 minutes."""
        try:
            from jwcrypto import jwk, jwt
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError("private_key_jwt needs jwcrypto: pip install jwcrypto") from exc
        key = jwk.JWK.from_pem(self.private_key_pem)
        alg = "RS256" if key.key_type == "RSA" else {"P-256": "ES256", "P-384": "ES384"}[key.key_curve]
        header = {"alg": alg, "typ": "JWT", "kid": self.key_id or key.thumbprint()}
        now = int(time.time())
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": self.token_url,
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
        }
        token = jwt.JWT(header=header, claims=claims)
        token.make_signed_token(key)
        return token.serialize()


class _Session(httpx.Auth):
    """Bearer token, Idempotency-Key, If-Match and retries, applied to every request of the httpx client."""

    requires_response_body = False

    def __init__(self, tokens: _Tokens, max_retries: int, backoff: float, sleep: Callable[[float], None]) -> None:
        self.tokens, self.max_retries, self.backoff, self.sleep = tokens, max_retries, backoff, sleep
        self.etags: dict[str, str] = {}

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        if request.method in WRITE_METHODS and "Idempotency-Key" not in request.headers:
            request.headers["Idempotency-Key"] = str(uuid.uuid4())
        referral = _referral_path(request.url.path)
        if request.method == "PATCH" and "If-Match" not in request.headers and referral in self.etags:
            request.headers["If-Match"] = self.etags[referral]
        request.headers["Authorization"] = f"Bearer {self.tokens.get()}"
        renewed = False
        for attempt in range(self.max_retries + 1):
            response = yield request
            if response.status_code == 401 and not renewed:
                renewed = True
                request.headers["Authorization"] = f"Bearer {self.tokens.get(renew=True)}"
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                self.sleep(_retry_after(response, self.backoff * 2**attempt))
                continue
            break
        if "Deprecation" in response.headers:
            log.warning(
                "%s %s is deprecated (Sunset: %s); see %s",
                request.method,
                request.url.path,
                response.headers.get("Sunset", "not set"),
                response.headers.get("Link", "the changelog"),
            )
        if referral and response.status_code < 300 and "ETag" in response.headers:
            self.etags[referral] = response.headers["ETag"]


def _referral_path(path: str) -> str | None:
    """``/api/v1/referrals/<id>/...`` -> ``/api/v1/referrals/<id>/`` (the resource whose ETag counts)."""
    parts = path.split("/")
    if len(parts) > 4 and parts[1:4] == ["api", "v1", "referrals"] and parts[4]:
        return "/".join(parts[:5]) + "/"
    return None


def _retry_after(response: httpx.Response, default: float) -> float:
    """Seconds to wait: ``Retry-After`` as seconds or an HTTP date (RFC 9110 §10.2.3), else ``default``."""
    value = response.headers.get("Retry-After", "")
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return default


def connect(
    base_url: str,
    *,
    client_id: str,
    client_secret: str | None = None,
    private_key_pem: bytes | None = None,
    key_id: str | None = None,
    scope: str | None = None,
    max_retries: int = 4,
    backoff: float = 0.5,
    timeout: float = 30.0,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> AuthenticatedClient:
    """A generated client that authenticates itself; pass it as ``client=`` to any generated operation.

    The bearer header is set per request by the session (the ``token`` of the generated class is unused).
    """
    tokens = _Tokens(base_url, client_id, client_secret, private_key_pem, key_id, scope, transport)
    http = httpx.Client(
        base_url=base_url, auth=_Session(tokens, max_retries, backoff, sleep), transport=transport, timeout=timeout
    )
    client = AuthenticatedClient(base_url=base_url, token="", raise_on_unexpected_status=True)  # noqa: S106
    return client.set_httpx_client(http)


def last_etag(client: AuthenticatedClient, referral_id: Any) -> str | None:
    """The ``ETag`` of the last read of a referral through this client: pass it as ``if_match``."""
    return client.get_httpx_client().auth.etags.get(f"/api/v1/referrals/{referral_id}/")


def pages(operation: Any, client: AuthenticatedClient, **params: Any) -> Iterator[Any]:
    """Every item of a cursor-paginated list operation (a generated module such as ``referrals_list``)."""
    cursor = params.pop("cursor", None)
    while True:
        page = operation.sync(client=client, **({"cursor": cursor} if cursor else {}), **params)
        if page is None or not hasattr(page, "results"):
            raise RuntimeError(f"{operation.__name__} did not answer a page: {page!r}")
        yield from page.results
        next_url = page.next_ if hasattr(page, "next_") else getattr(page, "next", None)
        if not next_url:
            return
        cursor = parse_qs(urlsplit(next_url).query)["cursor"][0]
