"""Base views for every route under ``/referrals/``, and the OpenAPI pieces they share.

Need to know is enforced once, in ``ReferralScopedView.initial()``: every route under ``/referrals/{pk}/``
resolves the referral through ``referrals_visible_to`` before its handler runs (like Sentry's ``convert_args``),
so a non-party gets the same 404 on every path and method, the refusal is audited, and each handler finds
``self.referral`` and ``self.side`` (the caller's part in it) ready.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.context import audit_context
from audit.services import audit_denied, audit_record
from referral_api.pagination import KeysetPagination
from referral_api.permissions import client_of, has_scope
from referral_api.problems import PreconditionRequired
from referrals import policies
from referrals.api import serializers as s
from referrals.errors import Gone
from referrals.models import Referral
from referrals.selectors import (
    possible_duplicates,
    referral_side,
    referral_visible,
    referral_with_representation,
    referrals_visible_to,
    related_referral_visible,
)

READ = ["referrals:read"]
WRITE = ["referrals:write"]

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="1-255 printable characters, unique per request you mean once. Kept 24 hours per client: a retry "
    "with the same key and body replays the first answer (`Idempotent-Replayed: true`); a different body is 422 "
    "`idempotency-key-reuse`; while the first is running, 409 `idempotency-key-in-use`.",
)  # fmt: skip
IF_MATCH_REQUIRED = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the version you read, e.g. `"3"`. Missing: 428; stale: 412.',
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='Optional ETag (e.g. `"3"`); if the referral has changed since, 412 and nothing happens.',
)
PURPOSE = OpenApiParameter(
    "X-Purpose-Of-Use",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Why you are accessing the record (recorded in the audit log and shown in the access log).",
)
NOT_FOUND = OpenApiResponse(description="No such referral, or your agency is not a party to it (`not-found`).")

# What every referral-scoped route needs of the referral: who the parties are, its status and version.
SCOPE_COLUMNS = (
    "id",
    "reference",
    "referral_type",
    "status",
    "version",
    "sender_agency_id",
    "receiver_agency_id",
    "disposed_at",
)


def scope_columns(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    """The default ``referral_shape``: only ``SCOPE_COLUMNS``."""
    return queryset.only(*SCOPE_COLUMNS)


def etag(referral: Referral) -> str:
    return f'"{referral.version}"'


def parse_if_match(request, *, required: bool) -> int | None:
    """The version named in ``If-Match`` (RFC 9110 §13.1.1): 428 when required and missing, 412 when malformed."""
    raw = request.headers.get("If-Match")
    if raw is None:
        if required:
            raise PreconditionRequired()
        return None
    match = s.IF_MATCH.match(raw)
    if match is None:
        # Malformed, not stale: a 400 naming the header, not a 412 that would say the referral changed.
        raise ValidationError({"If-Match": ['Send the ETag exactly as you read it, quotes included: If-Match: "3".']})
    return int(match.group(1))


class ReferralAPIView(APIView):
    """Base for every referral route: the caller's identity and scopes, the referral's representation for
    them, and the audit of every refused access."""

    audited_object_type = "referral"

    def client(self):
        return client_of(self.request)

    def agency(self):
        return self.client().agency

    def pii(self) -> bool:
        return has_scope(self.request, "pii:read")

    def represent(self, referral: Referral) -> dict:
        agency = self.agency()
        body = s.referral_representation(
            referral,
            side=referral_side(referral, agency),
            pii=self.pii(),
            can_write=has_scope(self.request, "referrals:write"),
            agency_id=agency.pk,
        )
        if body.get("related_referral") and not related_referral_visible(referral, agency):
            body["related_referral"] = None  # the id of a referral the caller cannot see is not shown
        return body

    def referral_response(self, referral: Referral, status: int = 200, **extra) -> Response:
        """The referral as the caller sees it. A referral the service already loaded with its representation
        (``with_representation``, ``prime_representation``) and then changed is answered as it is in memory;
        any other is read again."""
        if not getattr(referral, "_representation_loaded", False):
            referral = referral_with_representation(referral.pk, pii=self.pii())
        body = self.represent(referral)
        body.update(extra)
        response = Response(body, status=status)
        response["ETag"] = etag(referral)
        return response

    def created_response(self, referral: Referral, duplicates: list[dict] | None) -> Response:
        """201 with the new referral, its ``Location`` and the caller's ``possible_duplicates`` (looked up again
        for a replay, which has none at hand)."""
        if duplicates is None:
            duplicates = possible_duplicates(
                agency=self.agency(), exclude_id=referral.pk, persons=list(referral.persons.all())
            )
        response = self.referral_response(referral, status=201, possible_duplicates=duplicates)
        response["Location"] = self.request.build_absolute_uri(reverse("referral-detail", args=[referral.pk]))
        return response

    def audit(self, action: str, object_id=None, *, reason: str | None = None) -> None:
        """Record a successful read or change of this route's object."""
        audit_record(
            action=action,
            object_type=self.audited_object_type,
            object_id=str(object_id if object_id is not None else self.kwargs.get("pk")),
            context=audit_context(self.request),
            reason=reason,
        )

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code in (401, 403, 404):
            # NIST SP 800-53 AU-2: a refused access to a referral is an auditable event.
            audit_denied(
                self.request,
                object_type=self.audited_object_type,
                object_id=self.kwargs.get("pk"),
                status=response.status_code,
            )
        return response


class ReferralScopedView(ReferralAPIView):
    """Base for every referral route: caller identity, need-to-know lookup, denied-access audit."""

    # Every route under /referrals/{pk}/: the referral is resolved once, before the handler. ``referral_shape()``
    # says what to load with it (by default the parties, status and version; a view that answers with the whole
    # referral loads its representation in the same query).

    referral: Referral
    side: str
    # False for a handler whose service looks the referral up itself under its row lock (the lifecycle actions):
    # one lookup instead of two; the service raises the same 404 and 410 (audited by handle_exception).
    resolve_before_handler = True

    def referral_shape(self):
        """What to load with the referral: a module-level shape function (its statement is compiled once per
        process, see ``referrals.selectors.referral_visible``)."""
        return scope_columns

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, scopes, throttles
        if request.method == "OPTIONS" or not hasattr(self, request.method.lower()):
            if request.method != "OPTIONS" and self.agency_was_party_to_disposed(kwargs["pk"]):
                raise Gone()  # every method of a disposed referral's paths is 410 to its parties
            return  # no such operation: 405 (or the OPTIONS answer), as on any route
        if self.resolve_before_handler:
            self.resolve_referral(kwargs["pk"])

    def resolve_referral(self, referral_id) -> Referral:
        """``self.referral`` and ``self.side``, or the 404 (410) of a referral the caller may not see."""
        self.referral = referral_visible(agency=self.agency(), referral_id=referral_id, shape=self.referral_shape())
        self.side = referral_side(self.referral, self.agency())
        return self.referral

    def agency_was_party_to_disposed(self, referral_id) -> bool:
        return referrals_visible_to(agency=self.agency()).filter(pk=referral_id, disposed_at__isnull=False).exists()

    def require_side(self, side: str, verb: str) -> None:
        """403 unless the caller is the referral's ``side`` (``referrals.policies.require_side``)."""
        policies.require_side(referral=self.referral, agency=self.agency(), side=side, verb=verb)

    def nested_page(self, rows, represent, *, audit_action: str, pagination: KeysetPagination | None = None):
        """One page of rows under this referral, recorded in the audit log."""
        paginator = pagination or KeysetPagination(descending=False)
        page = paginator.paginate_queryset(rows, self.request, view=self)
        self.audit(audit_action)
        return paginator.get_paginated_response([represent(row) for row in page])
