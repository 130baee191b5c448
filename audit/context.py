"""Who is acting, for the audit log: plain values taken once from the request."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    request_id: str | None = None
    source_ip: str | None = None
    purpose: str | None = None
    agency_code: str | None = None
    client_id: str | None = None
    client_name: str | None = None


def audit_context(request) -> AuditContext:
    """Return the audit context of a Django or DRF request (caller identity, request id, address, purpose)."""
    django_request = getattr(request, "_request", request)
    client = getattr(django_request, "api_client", None)
    purpose = (django_request.headers.get("X-Purpose-Of-Use") or "").strip()
    # The stated purpose is free text from the caller: keep it short and printable.
    purpose = "".join(ch for ch in purpose if ch.isprintable())[:200] or None
    return AuditContext(
        request_id=getattr(django_request, "request_id", None),
        source_ip=django_request.META.get("REMOTE_ADDR"),
        purpose=purpose,
        agency_code=getattr(getattr(client, "agency", None), "code", None),
        client_id=getattr(client, "client_id", None),
        client_name=getattr(client, "name", None),
    )
