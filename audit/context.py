"""Who is acting, for the audit log: plain values taken once from the request."""

from __future__ import annotations

from dataclasses import dataclass

from referral_api.client_address import client_address


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
        source_ip=client_address(django_request),
        purpose=purpose,
        agency_code=getattr(getattr(client, "agency", None), "code", None),
        client_id=getattr(client, "client_id", None),
        client_name=getattr(client, "name", None),
    )


def admin_audit_context(request) -> AuditContext:
    """The audit context of a person acting in the Django admin: the staff user is the actor.

    Recorded as ``client_id`` ``admin:<username>`` (the audit row's actor column), so every admin act names the
    person who did it, not only the object it was done to.
    """
    user = getattr(request, "user", None)
    username = getattr(user, "get_username", lambda: "")() if user is not None else ""
    return AuditContext(
        request_id=getattr(request, "request_id", None),
        source_ip=client_address(request),
        purpose="admin",
        client_id=f"admin:{username}"[:255] if username else "admin:(anonymous)",
        client_name="Django admin",
    )
