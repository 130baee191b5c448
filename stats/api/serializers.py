"""Statistics representations (output only: the endpoint takes query parameters, never a body)."""

from __future__ import annotations

from rest_framework import serializers

from agencies.models import ReferralType
from referral_api.fields import ChoiceField
from referrals.codes import Priority
from referrals.models import Status
from stats.selectors import DIMENSION_DESCRIPTIONS, DIMENSIONS


class ReferralStatsRowSerializer(serializers.Serializer):
    """One group. Only the dimensions named in `group_by` are present."""

    month = serializers.CharField(required=False, help_text=DIMENSION_DESCRIPTIONS["month"])
    week = serializers.CharField(required=False, help_text=DIMENSION_DESCRIPTIONS["week"])
    direction = ChoiceField(
        choices=["incoming", "outgoing"], required=False, help_text=DIMENSION_DESCRIPTIONS["direction"]
    )
    referral_type = ChoiceField(choices=ReferralType.choices, required=False)
    status = ChoiceField(choices=Status.choices, required=False)
    priority = ChoiceField(choices=Priority.choices, required=False)
    counterpart = serializers.CharField(required=False, help_text=DIMENSION_DESCRIPTIONS["counterpart"])
    count = serializers.IntegerField(help_text="Referrals created in the window, in this group.")
    acknowledged_by_deadline_share = serializers.FloatField(
        allow_null=True,
        help_text="Of the referrals whose acknowledgement was due (deadline passed while open) or done, the share "
        "answered (acknowledged, accepted, rejected or asked for information) by `acknowledge_by`; 0 to 1. "
        "`null` when none was due yet.",
    )
    median_seconds_to_acknowledge = serializers.FloatField(
        allow_null=True, help_text="Median of `acknowledged_at - created_at`, in seconds, over answered referrals."
    )
    p90_seconds_to_acknowledge = serializers.FloatField(
        allow_null=True, help_text="90th percentile (continuous) of the same."
    )
    median_seconds_to_accept = serializers.FloatField(
        allow_null=True, help_text="Median of `accepted_at - created_at`, in seconds, over accepted referrals."
    )
    p90_seconds_to_accept = serializers.FloatField(allow_null=True, help_text="90th percentile of the same.")
    overdue_now = serializers.IntegerField(
        help_text="Referrals in this group still `submitted` past their acknowledgement deadline now."
    )
    hhs_notified_on_time_share = serializers.FloatField(
        allow_null=True,
        help_text="HHS child notice (22 U.S.C. 7105(b)(1)(G)): of the required notices that are due (past "
        "`due_by`) or recorded, the share recorded by `due_by`; a notice recorded late counts as late; 0 to 1. "
        "`null` when none was due yet.",
    )
    cp_granted = serializers.IntegerField(
        help_text="`continued_presence` referrals completed with `continued_presence_granted`."
    )
    cp_expiring_90d = serializers.IntegerField(
        help_text="Granted Continued Presence (first grants and extensions) whose `expires_on` is within the next "
        "90 days (today included) and that no granted extension has extended yet."
    )
    cp_extended = serializers.IntegerField(
        help_text="`continued_presence_extension` referrals completed with `continued_presence_granted`."
    )


class ReferralStatsSerializer(serializers.Serializer):
    from_ = serializers.DateTimeField(help_text="Start of the window (inclusive), RFC 3339.")
    to = serializers.DateTimeField(help_text="End of the window (exclusive), RFC 3339.")
    group_by = serializers.ListField(child=ChoiceField(choices=list(DIMENSIONS)))
    results = ReferralStatsRowSerializer(many=True)

    def get_fields(self):
        # "from" is a Python keyword: declared as ``from_``, published as ``from``, first.
        fields = super().get_fields()
        return {"from": fields.pop("from_"), **fields}
