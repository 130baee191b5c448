"""Serializers for audit rows shown to partners (a referral's access log)."""

from __future__ import annotations

from rest_framework import serializers

from audit.models import AuditEntry


class AccessLogEntrySerializer(serializers.ModelSerializer):
    """One access to a referral: who (agency, client), what (action, outcome), when, and the stated purpose."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    agency = serializers.CharField(source="agency_code", read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = ["id", "occurred_at", "agency", "client_name", "action", "outcome", "purpose", "request_id"]
        read_only_fields = fields
