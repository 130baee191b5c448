"""List filters for ``GET /referrals/``: each value validated (400 naming the parameter), none on PII."""

from __future__ import annotations

import datetime
import re

from django.db.models import Q, QuerySet
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from agencies.models import Agency, ReferralType
from referral_api.query import PAGING, check_query
from referral_api.timestamps import BadTimestamp, parse_timestamp
from referrals import deadlines
from referrals.codes import Priority
from referrals.lifecycle import RECEIVER_REFERENCE_PATTERN
from referrals.models import AWAITING_ACKNOWLEDGEMENT, Referral, Status

FILTERS = {
    "status": "Comma-separated statuses, e.g. `submitted,acknowledged`.",
    "referral_type": "One referral type.",
    "priority": "One priority.",
    "direction": "`incoming` (you are the receiver) or `outgoing` (you are the sender).",
    "sender": "Sending agency code.",
    "receiver": "Receiving agency code.",
    "created_after": "RFC 3339 timestamp (inclusive).",
    "created_before": "RFC 3339 timestamp (exclusive).",
    "updated_after": "RFC 3339 timestamp (inclusive).",
    "external_reference": "Exact external reference.",
    "overdue": "`true`: not acknowledged by the deadline; `false`: the others.",
    "hhs_overdue": "`true`: an HHS child notice is required, unrecorded and past its `due_by`; `false`: the others.",
    "receiver_reference": "Exact receiver reference (the receiving agency's own case number).",
    "cp_expires_before": "Date (`2027-03-01`): granted Continued Presence whose `expires_on` is before it.",
    "deadline_before": "RFC 3339 timestamp: referrals with any open deadline due before it (see `deadlines`).",
}


def _timestamp(name: str, raw: str):
    # A "+" in a query string arrives as a space.
    try:
        return parse_timestamp(raw.replace(" ", "+"))
    except BadTimestamp as exc:
        raise ValidationError({name: [str(exc)]}) from None


def _choice(name: str, raw: str, choices) -> str:
    if raw not in choices:
        raise ValidationError({name: [f"Must be one of: {', '.join(sorted(choices))}."]})
    return raw


def _agency_code(name: str, raw: str) -> str:
    if not raw or len(raw) > 16 or not Agency.objects.filter(code=raw).exists():
        raise ValidationError({name: ["Unknown agency code."]})
    return raw


def filter_referrals(queryset: QuerySet[Referral], params, *, agency: Agency) -> QuerySet[Referral]:
    """Apply the list filters in ``params`` (a QueryDict). Unknown parameters are refused."""
    check_query(params, {*FILTERS, *PAGING})
    if "status" in params:
        statuses = [s.strip() for s in params["status"].split(",") if s.strip()]
        if not statuses:
            raise ValidationError({"status": ["Give at least one status."]})
        for status in statuses:
            _choice("status", status, Status.values)
        queryset = queryset.filter(status__in=statuses)
    if "referral_type" in params:
        queryset = queryset.filter(referral_type=_choice("referral_type", params["referral_type"], ReferralType.values))
    if "priority" in params:
        queryset = queryset.filter(priority=_choice("priority", params["priority"], Priority.values))
    if "direction" in params:
        direction = _choice("direction", params["direction"], {"incoming", "outgoing"})
        queryset = queryset.filter(**{"receiver_agency" if direction == "incoming" else "sender_agency": agency})
    if "sender" in params:
        queryset = queryset.filter(sender_agency__code=_agency_code("sender", params["sender"]))
    if "receiver" in params:
        queryset = queryset.filter(receiver_agency__code=_agency_code("receiver", params["receiver"]))
    if "created_after" in params:
        queryset = queryset.filter(created_at__gte=_timestamp("created_after", params["created_after"]))
    if "created_before" in params:
        queryset = queryset.filter(created_at__lt=_timestamp("created_before", params["created_before"]))
    if "updated_after" in params:
        queryset = queryset.filter(updated_at__gte=_timestamp("updated_after", params["updated_after"]))
    if "external_reference" in params:
        value = params["external_reference"]
        if not value or len(value) > 100:
            raise ValidationError({"external_reference": ["Must be 1 to 100 characters."]})
        queryset = queryset.filter(external_reference=value)
    if "overdue" in params:
        flag = _choice("overdue", params["overdue"].lower(), {"true", "false"}) == "true"
        overdue = Q(status__in=AWAITING_ACKNOWLEDGEMENT, acknowledge_by__lte=timezone.now())
        queryset = queryset.filter(overdue) if flag else queryset.exclude(overdue)
    if "hhs_overdue" in params:
        flag = _choice("hhs_overdue", params["hhs_overdue"].lower(), {"true", "false"}) == "true"
        # A notice recorded late is no longer overdue (the statistics count it as late).
        hhs_overdue = Q(hhs_required=True, hhs_notified_at__isnull=True, hhs_notify_by__lte=timezone.now())
        queryset = queryset.filter(hhs_overdue) if flag else queryset.exclude(hhs_overdue)
    if "receiver_reference" in params:
        value = params["receiver_reference"]
        if not re.fullmatch(RECEIVER_REFERENCE_PATTERN, value):
            raise ValidationError(
                {"receiver_reference": ["Must be 1-100 letters, digits and . _ - / : #, as the receiver set it."]}
            )
        queryset = queryset.filter(receiver_reference=value)
    if "cp_expires_before" in params:
        try:
            before = datetime.date.fromisoformat(params["cp_expires_before"])
        except ValueError:
            raise ValidationError({"cp_expires_before": ["Must be a date, e.g. 2027-03-01."]}) from None
        queryset = queryset.filter(continued_presence_expires_on__lt=before)
    if "deadline_before" in params:
        queryset = queryset.filter(
            deadlines.open_deadline_before(_timestamp("deadline_before", params["deadline_before"]))
        )
    return queryset
