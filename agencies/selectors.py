"""Reads on agencies and routing."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from agencies.models import Agency, Office, Route
from audit.models import AuditEntry


def agencies_directory() -> QuerySet[Agency]:
    """Active agencies with their active offices and the referral types they accept (3 queries)."""
    return (
        Agency.objects.filter(active=True)
        .prefetch_related(
            Prefetch("offices", queryset=Office.objects.filter(active=True).order_by("code")),
            Prefetch("routes", queryset=Route.objects.filter(active=True).order_by("referral_type")),
        )
        .order_by("code")
    )


def route_allows(*, referral_type: str, agency: Agency) -> bool:
    """Return whether the routing table lets ``agency`` receive ``referral_type``."""
    return Route.objects.filter(referral_type=referral_type, agency=agency, active=True).exists()


def receiver_lookup(
    *, agency_code: str, office_code: str | None, referral_type: str
) -> tuple[Agency | None, Office | None, bool]:
    """The active receiving agency (and active office, when named) and whether the routing table lets it receive
    ``referral_type``, in one query. ``(None, None, False)`` for no such agency; ``(agency, None, False)`` when the
    named office does not exist (the caller then names the agency's offices)."""

    def routed(agency_ref: str) -> Exists:
        return Exists(Route.objects.filter(agency=OuterRef(agency_ref), referral_type=referral_type, active=True))

    if office_code:
        office = (
            Office.objects.select_related("agency")
            .filter(agency__code=agency_code, agency__active=True, code=office_code, active=True)
            .annotate(routed=routed("agency_id"))
            .first()
        )
        if office is not None:
            return office.agency, office, office.routed
        return Agency.objects.filter(code=agency_code, active=True).first(), None, False
    agency = Agency.objects.filter(code=agency_code, active=True).annotate(routed=routed("pk")).first()
    return agency, None, bool(agency is not None and agency.routed)


def agency_and_office_codes() -> list[str]:
    """Every agency and office code, active or not (published in the directory; error messages may name them)."""
    return [*Agency.objects.values_list("code", flat=True), *Office.objects.values_list("code", flat=True)]


def agency_code_in_use(agency: Agency) -> bool:
    """Return whether anything refers to ``agency`` besides its own offices: clients, routes, referrals, events,
    webhook subscriptions (every model with a foreign key to it, found through the model's relations, so a new
    one counts the day it is added) or audit rows naming its code. The code is then fixed (the feed, webhooks,
    references and the audit trail key on it)."""
    for relation in Agency._meta.related_objects:
        if relation.related_model is Office or not relation.field.concrete:
            continue
        if relation.related_model._default_manager.filter(**{relation.field.name: agency}).exists():
            return True
    return AuditEntry.objects.filter(agency_code=agency.code).exists()
