"""Deprecated fields, values and operations: the headers that announce them and the refusal after sunset.

A response to a request that used something deprecated carries (api-contract.md v1.1, "Conventions"):

* ``Deprecation: @<unix seconds>`` (RFC 9745 §2: a Structured Field Date, RFC 9651 §3.3.7), the moment the
  thing was deprecated;
* ``Sunset: <HTTP-date>`` (RFC 8594 §3: an IMF-fixdate, RFC 9110 §5.6.7) once a sunset date is configured;
* ``Link: <docs>; rel="deprecation"`` (RFC 9745 §3) pointing at the documentation of what to use instead.

After its sunset the thing is refused with 422 (``refuse_after_sunset``; RFC 8594 §1 leaves the answer to
the service, the contract fixes 422 ``validation-error`` with code ``sunset``).

Usage, from any code that has the request::

    HHS_NOTIFIED_AT = deprecation_register(Deprecation(key="field:hhs_notified_at", ...))
    deprecation_use(request, HHS_NOTIFIED_AT, field="hhs_notified_at")   # 422 after sunset, else noted

``DeprecationHeadersMiddleware`` then adds the headers to whatever the answer is. Without the middleware,
``add_deprecation_headers(response, [...])`` does the same for one response. Everything registered is listed
in the OpenAPI description (``deprecations_markdown``), where the ``Link`` points by default.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import format_datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from referral_api.errors import RuleViolation

# Where the ``Link: <...>; rel="deprecation"`` points unless a deprecation names its own page: the
# "Deprecations" section of the API description (Redoc renders it with this anchor).
DEFAULT_DOCS_URL = "/api/redoc/#tag/Deprecations"
_REQUEST_ATTRIBUTE = "_deprecations_used"


@dataclass(frozen=True)
class Deprecation:
    """One deprecated field, value or operation."""

    key: str  # stable, e.g. "field:hhs_notified_at" or "referral_type:immigration_relief_screening"
    what: str  # the thing as a caller names it, for the docs ("`hhs_notified_at` on create and PATCH")
    instead: str  # what to use instead, for the docs and the 422 after sunset
    deprecated_at: datetime.datetime  # RFC 9745 §2.1: when it was (or will be) deprecated
    # Name of a setting holding the sunset (an RFC 3339 date or timestamp, UTC); unset or empty = no sunset yet.
    sunset_setting: str | None = None
    docs_url: str | None = None  # default: settings.DEPRECATION_DOCS_URL, else DEFAULT_DOCS_URL

    def sunset(self) -> datetime.datetime | None:
        """The configured sunset instant (a bare date means 00:00:00 UTC that day), or ``None``."""
        if not self.sunset_setting:
            return None
        return parse_sunset(getattr(settings, self.sunset_setting, None), setting=self.sunset_setting)

    def is_past_sunset(self, now: datetime.datetime | None = None) -> bool:
        sunset = self.sunset()
        return sunset is not None and (now or timezone.now()) >= sunset

    def link(self) -> str:
        return self.docs_url or getattr(settings, "DEPRECATION_DOCS_URL", None) or DEFAULT_DOCS_URL


REGISTRY: dict[str, Deprecation] = {}


def deprecation_register(deprecation: Deprecation) -> Deprecation:
    """Add ``deprecation`` to the published list (idempotent for the same definition) and return it."""
    existing = REGISTRY.get(deprecation.key)
    if existing is not None and existing != deprecation:
        raise ValueError(f"Deprecation {deprecation.key!r} is already registered differently.")
    REGISTRY[deprecation.key] = deprecation
    return deprecation


def parse_sunset(value, *, setting: str = "sunset") -> datetime.datetime | None:
    """Parse a sunset setting: ``None``/empty, a ``date``, a ``datetime``, or an RFC 3339 date or timestamp."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, datetime.date):
        parsed = datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
    else:
        text = str(value).strip()
        try:
            parsed = parse_datetime(text)
            day = parse_date(text) if parsed is None else None
        except ValueError:  # well-formed but impossible, e.g. month 13
            parsed = day = None
        if parsed is None:
            if day is None:
                raise ImproperlyConfigured(f"{setting} must be an RFC 3339 date (e.g. 2027-06-30) or timestamp.")
            parsed = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed.astimezone(datetime.UTC)


# --- use ---------------------------------------------------------------------------------------------------
def refuse_after_sunset(deprecation: Deprecation, *, field: str, now: datetime.datetime | None = None) -> None:
    """422 ``validation-error`` with code ``sunset`` on ``field`` once ``deprecation`` is past its sunset."""
    if deprecation.is_past_sunset(now):
        sunset = deprecation.sunset()
        raise RuleViolation(
            f"{deprecation.what} is no longer accepted since {sunset:%Y-%m-%d} (sunset); {deprecation.instead}",
            field=field,
            code="sunset",
        )


def deprecation_use(request, deprecation: Deprecation, *, field: str) -> None:
    """Note that ``request`` used ``deprecation`` (headers on the answer), or refuse it after its sunset."""
    refuse_after_sunset(deprecation, field=field)
    deprecation_note(request, deprecation)


def deprecation_note(request, deprecation: Deprecation) -> None:
    """Note that ``request`` used ``deprecation`` so its answer carries the headers (no sunset check)."""
    target = getattr(request, "_request", request)  # a DRF Request wraps Django's HttpRequest
    used = getattr(target, _REQUEST_ATTRIBUTE, None)
    if used is None:
        used = {}
        setattr(target, _REQUEST_ATTRIBUTE, used)
    used[deprecation.key] = deprecation


def deprecations_used(request) -> list[Deprecation]:
    target = getattr(request, "_request", request)
    return list(getattr(target, _REQUEST_ATTRIBUTE, {}).values())


# --- headers -----------------------------------------------------------------------------------------------
def deprecation_header(deprecated_at: datetime.datetime) -> str:
    """RFC 9745 §2.1: ``@`` and the integer seconds since the epoch (an RFC 9651 Date)."""
    return f"@{int(deprecated_at.timestamp())}"


def sunset_header(sunset: datetime.datetime) -> str:
    """RFC 8594 §3: an HTTP-date (IMF-fixdate, RFC 9110 §5.6.7)."""
    return format_datetime(sunset.astimezone(datetime.UTC), usegmt=True)


def add_deprecation_headers(response, deprecations: Iterable[Deprecation]) -> None:
    """Add ``Deprecation``, ``Sunset`` and ``Link`` for ``deprecations`` to ``response`` (no-op when empty).

    Both date headers are single values (RFC 9745 §2, RFC 8594 §3): when one request used several deprecated
    things, the earliest deprecation and the earliest sunset are the ones a client must act on. Each
    distinct documentation link is listed (RFC 8288 §3: several link-values, comma-separated).
    """
    deprecations = list(deprecations)
    if not deprecations:
        return
    response["Deprecation"] = deprecation_header(min(d.deprecated_at for d in deprecations))
    sunsets = [s for s in (d.sunset() for d in deprecations) if s is not None]
    if sunsets:
        response["Sunset"] = sunset_header(min(sunsets))
    links = []
    for deprecation in deprecations:
        value = f'<{deprecation.link()}>; rel="deprecation"; type="text/html"'
        if value not in links:
            links.append(value)
    existing = response.get("Link")
    response["Link"] = ", ".join(([existing] if existing else []) + links)


class DeprecationHeadersMiddleware:
    """Adds the deprecation headers for everything the request was noted to use (``deprecation_use``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_deprecation_headers(response, deprecations_used(request))
        return response


def deprecations_markdown() -> str:
    """The registry as a Markdown table, for the OpenAPI description's "Deprecations" section."""
    if not REGISTRY:
        return "Nothing is deprecated at present."
    lines = ["| deprecated | since | sunset | instead |", "| --- | --- | --- | --- |"]
    for deprecation in sorted(REGISTRY.values(), key=lambda d: (d.deprecated_at, d.key)):
        sunset = deprecation.sunset()
        sunset_text = f"{sunset:%Y-%m-%d}" if sunset else "not set yet"
        if deprecation.sunset_setting:
            sunset_text += f" (`{deprecation.sunset_setting}`)"
        lines.append(
            f"| {deprecation.what} | {deprecation.deprecated_at:%Y-%m-%d} | {sunset_text} | {deprecation.instead} |"
        )
    return "\n".join(lines)
