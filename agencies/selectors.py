"""Reads on agencies and routing."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from agencies.models import Agency, Office, Route


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


def agency_and_office_codes() -> list[str]:
    """Every agency and office code, active or not (published in the directory; error messages may name them)."""
    return [*Agency.objects.values_list("code", flat=True), *Office.objects.values_list("code", flat=True)]
