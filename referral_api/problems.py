"""RFC 9457 problem details: every 4xx and 5xx the service answers, in one shape.

``{"type", "title", "status", "detail", "instance", "request_id"}``, plus ``errors`` on validation problems
(``[{"field", "code", "message"}]``) and any extra members a problem defines (e.g. ``allowed_actions``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions as drf

from referral_api import errors as domain
from referral_api.codes import published_codes

logger = logging.getLogger("referral_api.problems")

PROBLEM_CONTENT_TYPE = "application/problem+json"

# slug -> title. The slugs are part of the API contract; titles are for humans.
TITLES: dict[str, str] = {
    "validation-error": "Your request is not valid.",
    "not-authenticated": "Authentication credentials were not provided.",
    "invalid-token": "The access token is invalid, expired or revoked.",
    "insufficient-scope": "The access token lacks a scope this operation needs.",
    "permission-denied": "You may not do this.",
    "not-found": "Not found.",
    "method-not-allowed": "Method not allowed.",
    "invalid-transition": "This action is not allowed from the referral's current status.",
    "precondition-required": "This request must be conditional (If-Match).",
    "precondition-failed": "The resource has changed since you read it.",
    "idempotency-key-reuse": "This Idempotency-Key was used with a different request.",
    "idempotency-key-in-use": "A request with this Idempotency-Key is still being processed.",
    "rate-limited": "Too many requests.",
    "payload-too-large": "The request body is too large.",
    "unsupported-media-type": "Unsupported media type.",
    "not-acceptable": "Cannot produce a response in the requested format.",
    "service-unavailable": "The service is temporarily unavailable.",
    "server-error": "Internal server error.",
    "waiver-requires-adults": "A 1367(b)(4) waiver is void when any person in the referral is a minor.",
    "disclosure-basis-required": "Disclosing this protected person needs a recorded 1367(b) basis.",
    "gone": "This resource is gone for good.",
}


def problem_type(slug: str) -> str:
    """Return the problem ``type`` URI for a slug (RFC 9457 §3.1.1)."""
    from django.conf import settings

    return settings.PROBLEM_TYPE_BASE + slug


class Problem(drf.APIException):
    """An API error rendered as a problem; subclasses set ``status_code`` and ``slug``."""

    status_code = 400
    slug = "validation-error"
    default_detail = "Your request is not valid."

    def __init__(self, detail: str | None = None, *, headers: dict | None = None, **extra: Any):
        super().__init__(detail or self.default_detail)
        self.extra = extra
        self.headers = headers or {}


class PreconditionRequired(Problem):
    status_code = 428
    slug = "precondition-required"
    default_detail = "Send If-Match with the ETag of the version you read."


class IdempotencyKeyReuse(Problem):
    status_code = 422
    slug = "idempotency-key-reuse"
    default_detail = "This Idempotency-Key was already used with a different request body or path."


class IdempotencyKeyInUse(Problem):
    status_code = 409
    slug = "idempotency-key-in-use"
    default_detail = "The first request with this Idempotency-Key is still running; retry shortly."


class InsufficientScope(drf.PermissionDenied):
    """403 for a token without a needed scope; carries the scopes for ``WWW-Authenticate`` (RFC 6750 §3.1)."""

    def __init__(self, scopes: list[str]):
        super().__init__("This operation needs the scope(s): " + " ".join(scopes) + ".")
        self.scopes = scopes


class InvalidToken(drf.AuthenticationFailed):
    """401 for a bearer token that is unknown, expired, revoked, or whose client or agency is inactive."""


class PayloadTooLarge(Problem):
    status_code = 413
    slug = "payload-too-large"
    default_detail = "The request body is too large."


# The one mapping from a domain refusal to HTTP: kind -> (status, slug). Services raise the kinds of
# ``referral_api.errors`` (or an app's subclass of one); the first kind in the exception's MRO decides.
DOMAIN_ERRORS: dict[type[domain.DomainError], tuple[int, str]] = {
    domain.NotVisible: (404, "not-found"),
    domain.Gone: (410, "gone"),
    domain.WrongSide: (403, "permission-denied"),
    domain.InvalidTransition: (409, "invalid-transition"),
    domain.WaiverRequiresAdults: (422, "waiver-requires-adults"),
    domain.DisclosureBasisRequired: (422, "disclosure-basis-required"),
    domain.InvalidInput: (400, "validation-error"),
    domain.RuleViolation: (422, "validation-error"),
    domain.Conflict: (409, "validation-error"),
    domain.PreconditionFailed: (412, "precondition-failed"),
    domain.UnsupportedContent: (415, "unsupported-media-type"),
    domain.Unavailable: (503, "service-unavailable"),
    domain.Corrupt: (500, "server-error"),
}


def domain_error_status(exc: domain.DomainError) -> tuple[int, str]:
    """Return ``(status, slug)`` for a domain error (500 for a kind missing from the table)."""
    for kind in type(exc).__mro__:
        if kind in DOMAIN_ERRORS:
            return DOMAIN_ERRORS[kind]
    return 500, "server-error"


def challenge_text(text: str) -> str:
    """``text`` as an ``error_description`` may carry it: printable ASCII without ``"`` or ``\\`` (RFC 6750 §3)."""
    text = text.replace("§", "section ").replace('"', "'").replace("\\", "/")
    return "".join(ch for ch in text if " " <= ch <= "~")


def bearer_challenge(error: str | None = None, description: str | None = None, scope: str | None = None) -> str:
    """Return a ``WWW-Authenticate`` value (RFC 6750 §3)."""
    parts = ['realm="api"']
    if error:
        parts.append(f'error="{error}"')
    if description:
        parts.append(f'error_description="{challenge_text(description)}"')
    if scope:
        parts.append(f'scope="{scope}"')
    return "Bearer " + ", ".join(parts)


def problem_response(
    request: HttpRequest | None,
    status: int,
    slug: str,
    detail: str | None = None,
    *,
    errors: list[dict] | None = None,
    headers: dict | None = None,
    **extra: Any,
) -> HttpResponse:
    """Return an ``application/problem+json`` response."""
    body: dict[str, Any] = {
        "type": problem_type(slug),
        "title": TITLES.get(slug, "Error"),
        "status": status,
        "detail": detail or TITLES.get(slug, ""),
        "instance": request.path if request is not None else None,
        "request_id": getattr(request, "request_id", None),
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    response = HttpResponse(orjson.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def flatten_errors(detail: Any, prefix: str = "") -> list[dict]:
    """Flatten DRF's nested error detail into ``[{"field", "code", "message"}]`` with dotted paths."""
    out: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                path = prefix
            elif isinstance(key, int):  # ListField / many=True errors are keyed by item index
                path = f"{prefix}[{key}]"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            out.extend(flatten_errors(value, path))
    elif isinstance(detail, list):
        if detail and all(isinstance(item, (dict, list)) for item in detail):
            for index, item in enumerate(detail):
                if item:
                    out.extend(flatten_errors(item, f"{prefix}[{index}]"))
        else:
            for item in detail:
                out.extend(flatten_errors(item, prefix))
    else:
        out.append({"field": prefix or None, "code": getattr(detail, "code", "invalid"), "message": str(detail)})
    return out


# Error bodies never quote what the caller sent: a value in the wrong field may be a name or an A-number, and
# error bodies end up in clients' logs and tickets. DRF messages that quote the input get a fixed text; any other
# message quoting a sent value has the value withheld; a field path shows a member name only if it has the shape
# of a field name (snake_case), since an unknown member's name is input too.
ECHOING_CODES = {
    # DRF's '"{input}" is not a valid choice.' (referral_api.fields.ChoiceField says "Must be one of: ..." instead)
    "invalid_choice": "Not one of the allowed values.",
    "does_not_exist": "No such object.",  # 'Object with {slug_name}={value} does not exist.', 'Invalid pk "{pk}"'
}
VALUE_WITHHELD = "[value withheld]"
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_PATH_PART = re.compile(r"(\[\d+\])")


def _sent_strings(request) -> list[str]:
    """Every string the caller sent in the body (values, not member names) or the query, longest first."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    # The parsed body only if the view already parsed it (``_full_data`` is DRF's cache): never parse it here.
    data = getattr(request, "_full_data", None)
    if isinstance(data, (dict, list)):
        walk(data)
    query = getattr(request, "query_params", None) or getattr(request, "GET", None)
    if query is not None:
        for values in query.lists():
            walk(values[1])
    return sorted((s for s in found if len(s) >= 4), key=len, reverse=True)


def _withhold(text: str, sent: list[str]) -> str:
    """Replace every sent string in ``text``, except published codes (referral types, agency codes, ...)."""
    if not sent or not any(value in text for value in sent):
        return text
    codes = published_codes()
    for value in sent:
        if value in codes:
            continue
        if value in text:
            text = text.replace(value, VALUE_WITHHELD)
    return text


# Request headers an error may name as its ``field`` (their names are ours, not the caller's).
HEADER_FIELDS = frozenset({"Idempotency-Key", "If-Match", "X-Purpose-Of-Use", "Content-Type", "Accept"})


def _safe_field(path: str | None) -> str | None:
    if not path or path in HEADER_FIELDS:
        return path
    parts = []
    for part in _PATH_PART.split(path):
        if not part or _PATH_PART.fullmatch(part):
            parts.append(part)
            continue
        parts.append(".".join(n if not n or _FIELD_NAME.match(n) else "[withheld]" for n in part.split(".")))
    return "".join(parts)


def withhold_input(errors: list[dict], request) -> list[dict]:
    """Return ``errors`` with no sent value and no odd-shaped member name in any ``field`` or ``message``."""
    sent = _sent_strings(request)
    out = []
    for error in errors:
        message = error.get("message") or ""
        if error.get("code") in ECHOING_CODES and not message.startswith("Must be one of: "):
            message = ECHOING_CODES[error["code"]]
        out.append({**error, "field": _safe_field(error.get("field")), "message": _withhold(message, sent)})
    return out


def _request_of(context: dict) -> HttpRequest | None:
    request = context.get("request")
    return getattr(request, "_request", request)


def _problem_of(exc, context: dict, status: int, slug: str, headers: dict) -> HttpResponse:
    """A ``Problem`` or domain error as a problem: its detail and members, with nothing the caller sent."""
    extra = dict(exc.extra)
    field_errors = extra.pop("errors", None)
    request = context.get("request")
    return problem_response(
        _request_of(context),
        status,
        slug,
        _withhold(str(exc.detail), _sent_strings(request)),
        errors=withhold_input(field_errors, request) if field_errors is not None else None,
        headers=headers,
        **extra,
    )


def exception_handler(exc: Exception, context: dict) -> HttpResponse:
    """DRF exception handler: render every exception as a problem; never leak a trace or SQL."""
    request = _request_of(context)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()

    if isinstance(exc, domain.DomainError):
        status, slug = domain_error_status(exc)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, domain.Unavailable) else {}
        return _problem_of(exc, context, status, slug, headers)
    if isinstance(exc, Problem):
        return _problem_of(exc, context, exc.status_code, exc.slug, exc.headers)
    if isinstance(exc, drf.ValidationError):
        errors = withhold_input(flatten_errors(exc.detail), context.get("request"))
        detail = (
            "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors[:5])
            or TITLES["validation-error"]
        )
        return problem_response(request, 400, "validation-error", detail, errors=errors)
    if isinstance(exc, drf.ParseError):
        return problem_response(
            request,
            400,
            "validation-error",
            str(exc.detail),
            errors=[{"field": None, "code": "parse_error", "message": str(exc.detail)}],
        )
    if isinstance(exc, (drf.NotAuthenticated, drf.AuthenticationFailed)):
        if isinstance(exc, drf.NotAuthenticated) and not getattr(request, "has_bearer", False):
            return problem_response(
                request,
                401,
                "not-authenticated",
                "Send an OAuth 2.0 bearer token in the Authorization header.",
                headers={"WWW-Authenticate": bearer_challenge()},
            )
        return problem_response(
            request,
            401,
            "invalid-token",
            str(exc.detail),
            headers={"WWW-Authenticate": bearer_challenge("invalid_token", str(exc.detail))},
        )
    if isinstance(exc, InsufficientScope):
        scope = " ".join(exc.scopes)
        return problem_response(
            request,
            403,
            "insufficient-scope",
            str(exc.detail),
            required_scopes=exc.scopes,
            headers={"WWW-Authenticate": bearer_challenge("insufficient_scope", str(exc.detail), scope)},
        )
    if isinstance(exc, drf.PermissionDenied):
        return problem_response(request, 403, "permission-denied", str(exc.detail))
    if isinstance(exc, drf.NotFound):
        return problem_response(request, 404, "not-found", "No such resource, or you may not see it.")
    if isinstance(exc, drf.MethodNotAllowed):
        view = context.get("view")
        headers = {"Allow": ", ".join(view.allowed_methods)} if view is not None else {}
        return problem_response(request, 405, "method-not-allowed", str(exc.detail), headers=headers)
    if isinstance(exc, drf.UnsupportedMediaType):
        # DRF's text quotes the Content-Type sent; say instead what to send.
        view = context.get("view")
        accepted = [p.media_type for p in view.get_parsers()] if view is not None else ["application/json"]
        detail = f"Send the body as {' or '.join(accepted)} (Content-Type header)."
        return problem_response(request, 415, "unsupported-media-type", detail, accepted=accepted)
    if isinstance(exc, drf.NotAcceptable):
        return problem_response(request, 406, "not-acceptable", str(exc.detail))
    if isinstance(exc, drf.Throttled):
        wait = max(1, int(exc.wait or 1))
        return problem_response(
            request,
            429,
            "rate-limited",
            f"Rate limit exceeded; retry in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    if isinstance(exc, drf.APIException):
        slug = "server-error" if exc.status_code >= 500 else "validation-error"
        return problem_response(request, exc.status_code, slug, str(exc.detail))
    return unhandled_exception_response(request, exc)


def _is_broker_error(exc: BaseException) -> bool:
    """Return whether ``exc`` says the cache or message broker (Redis) cannot be reached."""
    try:
        from kombu.exceptions import OperationalError as KombuOperationalError
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - both ship in requirements.txt
        return False
    return isinstance(exc, (KombuOperationalError, RedisConnectionError, RedisTimeoutError))


def unhandled_exception_response(request: HttpRequest | None, exc: BaseException) -> HttpResponse:
    """503 for a lost database connection, else 500; the exception is logged, never shown."""
    if isinstance(exc, (OperationalError, InterfaceError)) or (
        isinstance(exc, DatabaseError) and "connection" in str(exc).lower()
    ):
        logger.warning("database unavailable", extra={"exception_type": type(exc).__name__})
        return problem_response(
            request,
            503,
            "service-unavailable",
            "The database is unavailable; retry shortly.",
            headers={"Retry-After": "5"},
        )
    if _is_broker_error(exc):
        logger.warning("broker unavailable", extra={"exception_type": type(exc).__name__})
        return problem_response(
            request,
            503,
            "service-unavailable",
            "A backing service is unavailable; retry shortly.",
            headers={"Retry-After": "5"},
        )
    logger.error("unhandled exception", exc_info=exc)
    return problem_response(request, 500, "server-error", "An unexpected error occurred; it has been logged.")


# Django-level handlers for requests that never reach a DRF view (unknown routes, CSRF, middleware errors).
def handler400(request, exception=None):
    return problem_response(request, 400, "validation-error", "Bad request.")


def handler403(request, exception=None):
    return problem_response(request, 403, "permission-denied")


# Also the catch-all for unknown paths under /api/ and /oauth/: exempt from CSRF, or a POST to an unknown path
# would be answered by Django's HTML CSRF failure page instead of a 404 problem.
@csrf_exempt
def handler404(request, exception=None):
    path = request.path_info
    if not path.endswith("/"):
        from django.urls import Resolver404, resolve

        try:
            match = resolve(path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not handler404:  # a real route, with its slash: say so
            return problem_response(request, 404, "not-found", f"Paths end with a slash: {path}/")
    return problem_response(request, 404, "not-found", "No such resource, or you may not see it.")


def handler500(request):
    return problem_response(request, 500, "server-error", "An unexpected error occurred; it has been logged.")
