"""Request plumbing: request ids, access log lines, response headers and body limits."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError

from referral_api.client_address import client_address
from referral_api.problems import problem_response, unhandled_exception_response

access_log = logging.getLogger("referral_api.access")

# Exceptions Django itself turns into 4xx answers (through the handler40x views).
_DJANGO_HANDLED = (Http404, PermissionDenied, BadRequest, SuspiciousOperation, MultiPartParserError)
# A caller's X-Request-ID is echoed only if it is short and made of safe characters, so it cannot inject
# anything into logs or headers; otherwise a fresh one is generated.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    """Give every request an id (``X-Request-ID``), log one JSON line per request, map outages to 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else str(uuid.uuid4())
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        match = getattr(request, "resolver_match", None)
        client = getattr(request, "api_client", None)
        access_log.info(
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                # The route template, never the raw path or query string (ids and filters stay out of logs).
                "route": getattr(match, "route", None) or "(unmatched)",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "client_id": getattr(client, "client_id", None),
                "agency": getattr(getattr(client, "agency", None), "code", None),
                # The same address the rate limits and the audit log use (NUM_PROXIES aware).
                "client_ip": client_address(request),
            },
        )
        return response

    def process_exception(self, request, exception):
        # Reached only for exceptions outside DRF views (DRF renders its own through problems.exception_handler).
        # Django answers its own "expected" exceptions (404, 403, 400) through the handler40x views; only the
        # unexpected ones become 500 (or 503 for an outage) here.
        if isinstance(exception, _DJANGO_HANDLED):
            return None
        return unhandled_exception_response(request, exception)


# The only route that takes large multipart bodies (its own limit, ATTACHMENT_MAX_BYTES); every other multipart
# body, on /api/v1/, /oauth/ or /admin/, is held to MAX_JSON_BODY_BYTES like JSON.
_ATTACHMENT_UPLOAD = re.compile(r"^/api/v1/referrals/[0-9a-fA-F-]{36}/attachments/$")


class ApiHeadersMiddleware:
    """``Cache-Control: no-store`` and ``Referrer-Policy: no-referrer`` on API answers; 413 for bodies over the
    limit, before any parsing."""

    API_PREFIXES = ("/api/v1/", "/oauth/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.API_PREFIXES):
            too_large = self._too_large(request)
            response = too_large or self.get_response(request)
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
            # API answers are never navigated from; the site-wide policy (same-origin) is for the admin's forms.
            response["Referrer-Policy"] = "no-referrer"
            # Answers refused here (413) never reach the inner middleware that adds these; JSON is never framed
            # or rendered as a page, so nothing may run or load from it (OWASP REST Security cheat sheet).
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
            return response
        if request.path.startswith("/admin/") and request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
            # The admin has no file fields: its multipart bodies are bounded like any other form.
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.MAX_JSON_BODY_BYTES:
                return self._refuse(request, settings.MAX_JSON_BODY_BYTES)
        return self.get_response(request)

    @classmethod
    def _too_large(cls, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        multipart = content_type.startswith("multipart/form-data")
        if not request.META.get("CONTENT_LENGTH") and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", ""):
            return cls._buffer_chunked(request, multipart)
        if multipart and _ATTACHMENT_UPLOAD.match(request.path):
            return None  # attachments have their own limit (ATTACHMENT_MAX_BYTES), checked as they stream in
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_JSON_BODY_BYTES:
            return cls._refuse(request, settings.MAX_JSON_BODY_BYTES)
        return None

    @staticmethod
    def _refuse(request, limit: int):
        return problem_response(request, 413, "payload-too-large", f"Request bodies are limited to {limit} bytes.")

    @classmethod
    def _buffer_chunked(cls, request, multipart: bool):
        """A chunked body has no Content-Length to check up front: read at most the limit plus one byte.

        Over the limit: 413, having read no more than that. Within it: the body is handed on as if it had come
        with a Content-Length (Django would otherwise read a body without one as empty). Only servers that mark
        the input as terminated (gunicorn, ``wsgi.input_terminated``) can be read to its end safely; under any
        other server a chunked body is refused with 413 rather than read unbounded.
        """
        import io

        limit = settings.MAX_JSON_BODY_BYTES
        if multipart and _ATTACHMENT_UPLOAD.match(request.path):
            limit = settings.ATTACHMENT_MAX_BYTES + 64 * 1024  # the file plus the form's envelope
        stream = request.META.get("wsgi.input")
        if stream is None or not request.META.get("wsgi.input_terminated"):
            return cls._refuse(request, limit)
        chunks, size = [], 0
        while size <= limit:
            chunk = stream.read(min(64 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            return cls._refuse(request, limit)
        body = b"".join(chunks)
        request.META["CONTENT_LENGTH"] = str(len(body))
        request._stream = io.BytesIO(body)
        request._read_started = False
        return None


class AddressRateLimitMiddleware:
    """Per-address limits on ``/api/v1/`` and ``/oauth/``, before authentication (shared Redis counters).

    * ``ADDRESS_RATE_LIMIT`` counts every request of an address;
    * ``AUTH_FAILURE_RATE_LIMIT`` counts the requests of an address that ended in 401 (no token, an invalid,
      expired or revoked token, a wrong client secret), and once over it refuses that address before any token
      lookup or secret check.

    The address comes from ``referral_api.client_address`` (``NUM_PROXIES`` aware). Over a limit: 429
    ``rate-limited`` with ``Retry-After``, written to the access log, never to the audit log. Fails open when
    Redis is down (logged), like every rate limit of the service.
    """

    PREFIXES = ("/api/v1/", "/oauth/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.PREFIXES):
            return self.get_response(request)
        from referral_api.throttling import AddressRateThrottle, AuthFailureThrottle, address_limits_check

        address_limit, failures = AddressRateThrottle(), AuthFailureThrottle()
        # Both checks in one Redis round trip (they are independent).
        allowed, under_failure_limit = address_limits_check(request, address_limit, failures)
        if not allowed:
            return self._refuse(request, address_limit.wait(), "Too many requests from this address")
        if not under_failure_limit:
            return self._refuse(request, failures.wait(), "Too many failed authentications from this address")
        response = self.get_response(request)
        if response.status_code == 401:
            failures.record(request)
        return response

    @staticmethod
    def _refuse(request, wait, what: str):
        wait = max(1, int(wait or 1))
        return problem_response(
            request, 429, "rate-limited", f"{what}; retry in {wait} seconds.", headers={"Retry-After": str(wait)}
        )
