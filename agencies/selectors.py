"""Reads on agencies and routing."""

from __future__ import annotations

import functools

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from agencies.models import Agency, Office, Route
from audit.models import AuditEntry
from referral_api.prepared import PreparedQuery, text_marker


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
    ``referral_type``, in one query (compiled once per process: ``_receiver_query``). ``(None, None, False)`` for
    no such agency; ``(agency, None, False)`` when the named office does not exist (the caller then names the
    agency's offices)."""
    values = {"agency": agency_code, "type": referral_type}
    if office_code:
        offices = _receiver_query(True).run({**values, "office": office_code})
        if offices:
            return offices[0].agency, offices[0], offices[0].routed
        return Agency.objects.filter(code=agency_code, active=True).first(), None, False
    agencies = _receiver_query(False).run(values)
    return (agencies[0], None, bool(agencies[0].routed)) if agencies else (None, None, False)


def receiver_queryset(*, agency_code: str, office_code: str | None, referral_type: str) -> QuerySet:
    """The active office of the active agency (or the active agency, without an office), annotated with
    ``routed``: whether the routing table lets the agency receive ``referral_type``."""

    def routed(agency_ref: str) -> Exists:
        return Exists(Route.objects.filter(agency=OuterRef(agency_ref), referral_type=referral_type, active=True))

    if office_code is not None:
        queryset = (
            Office.objects.select_related("agency")
            .filter(agency__code=agency_code, agency__active=True, code=office_code, active=True)
            .annotate(routed=routed("agency_id"))
        )
    else:
        queryset = Agency.objects.filter(code=agency_code, active=True).annotate(routed=routed("pk"))
    return queryset.order_by("pk")[:1]


@functools.lru_cache(maxsize=2)
def _receiver_query(with_office: bool) -> PreparedQuery:
    """``receiver_queryset`` with and without an office, compiled once per process."""
    markers = {"agency": text_marker(), "type": text_marker()}
    if with_office:
        markers["office"] = text_marker()
    queryset = receiver_queryset(
        agency_code=markers["agency"], office_code=markers.get("office"), referral_type=markers["type"]
    )
    return PreparedQuery(queryset, markers=markers)


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
