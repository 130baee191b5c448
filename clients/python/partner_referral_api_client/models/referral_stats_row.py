from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.direction_enum import DirectionEnum
from ..models.priority_enum import PriorityEnum
from ..models.referral_stats_row_status_enum import ReferralStatsRowStatusEnum
from ..models.referral_type_enum import ReferralTypeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReferralStatsRow")


@_attrs_define
class ReferralStatsRow:
    """One group. Only the dimensions named in `group_by` are present.

    Attributes:
        count (int): Referrals created in the window, in this group.
        acknowledged_by_deadline_share (float | None): Of the referrals whose acknowledgement was due (deadline passed
            while open) or done, the share answered (acknowledged, accepted, rejected or asked for information) by
            `acknowledge_by`; 0 to 1. `null` when none was due yet.
        median_seconds_to_acknowledge (float | None): Median of `acknowledged_at - created_at`, in seconds, over
            answered referrals.
        p90_seconds_to_acknowledge (float | None): 90th percentile (continuous) of the same.
        median_seconds_to_accept (float | None): Median of `accepted_at - created_at`, in seconds, over accepted
            referrals.
        p90_seconds_to_accept (float | None): 90th percentile of the same.
        overdue_now (int): Referrals in this group still `submitted` past their acknowledgement deadline now.
        hhs_notified_on_time_share (float | None): HHS child notice (22 U.S.C. 7105(b)(1)(G)): of the required notices
            that are due (past `due_by`) or recorded, the share recorded by `due_by`; a notice recorded late counts as late;
            0 to 1. `null` when none was due yet.
        cp_granted (int): `continued_presence` referrals completed with `continued_presence_granted`.
        cp_expiring_90d (int): Granted Continued Presence (first grants and extensions) whose `expires_on` is within the
            next 90 days (today included) and that no granted extension has extended yet.
        cp_extended (int): `continued_presence_extension` referrals completed with `continued_presence_granted`.
        month (str | Unset): Calendar month of `created_at` in UTC, `YYYY-MM`.
        week (str | Unset): ISO 8601 week of `created_at` in UTC, `YYYY-Www` (weeks start on Monday).
        direction (DirectionEnum | Unset): * `incoming` - incoming
            * `outgoing` - outgoing
        referral_type (ReferralTypeEnum | Unset): * `investigative_lead` - Investigative lead
            * `victim_assistance` - Victim assistance
            * `continued_presence` - Continued Presence request
            * `continued_presence_extension` - Continued Presence extension
            * `relief_support` - Support for a T or U application
            * `certification_verification` - Supplement B certification verification
            * `information_request` - Information request
            * `immigration_relief_screening` - T/U immigration relief screening (deprecated)
        status (ReferralStatsRowStatusEnum | Unset): * `submitted` - Submitted
            * `acknowledged` - Acknowledged
            * `accepted` - Accepted
            * `rejected` - Rejected
            * `info_requested` - Information requested
            * `in_progress` - In progress
            * `on_hold` - On hold
            * `completed` - Completed
            * `withdrawn` - Withdrawn
            * `recalled` - Recalled (sent in error)
        priority (PriorityEnum | Unset): * `routine` - Routine
            * `urgent` - Urgent
            * `immediate_danger` - Immediate danger
        counterpart (str | Unset): Code of the other agency: the receiver of an outgoing referral, the sender of an
            incoming one.
    """

    count: int
    acknowledged_by_deadline_share: float | None
    median_seconds_to_acknowledge: float | None
    p90_seconds_to_acknowledge: float | None
    median_seconds_to_accept: float | None
    p90_seconds_to_accept: float | None
    overdue_now: int
    hhs_notified_on_time_share: float | None
    cp_granted: int
    cp_expiring_90d: int
    cp_extended: int
    month: str | Unset = UNSET
    week: str | Unset = UNSET
    direction: DirectionEnum | Unset = UNSET
    referral_type: ReferralTypeEnum | Unset = UNSET
    status: ReferralStatsRowStatusEnum | Unset = UNSET
    priority: PriorityEnum | Unset = UNSET
    counterpart: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        acknowledged_by_deadline_share: float | None
        acknowledged_by_deadline_share = self.acknowledged_by_deadline_share

        median_seconds_to_acknowledge: float | None
        median_seconds_to_acknowledge = self.median_seconds_to_acknowledge

        p90_seconds_to_acknowledge: float | None
        p90_seconds_to_acknowledge = self.p90_seconds_to_acknowledge

        median_seconds_to_accept: float | None
        median_seconds_to_accept = self.median_seconds_to_accept

        p90_seconds_to_accept: float | None
        p90_seconds_to_accept = self.p90_seconds_to_accept

        overdue_now = self.overdue_now

        hhs_notified_on_time_share: float | None
        hhs_notified_on_time_share = self.hhs_notified_on_time_share

        cp_granted = self.cp_granted

        cp_expiring_90d = self.cp_expiring_90d

        cp_extended = self.cp_extended

        month = self.month

        week = self.week

        direction: str | Unset = UNSET
        if not isinstance(self.direction, Unset):
            direction = self.direction.value

        referral_type: str | Unset = UNSET
        if not isinstance(self.referral_type, Unset):
            referral_type = self.referral_type.value

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        counterpart = self.counterpart

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "acknowledged_by_deadline_share": acknowledged_by_deadline_share,
                "median_seconds_to_acknowledge": median_seconds_to_acknowledge,
                "p90_seconds_to_acknowledge": p90_seconds_to_acknowledge,
                "median_seconds_to_accept": median_seconds_to_accept,
                "p90_seconds_to_accept": p90_seconds_to_accept,
                "overdue_now": overdue_now,
                "hhs_notified_on_time_share": hhs_notified_on_time_share,
                "cp_granted": cp_granted,
                "cp_expiring_90d": cp_expiring_90d,
                "cp_extended": cp_extended,
            }
        )
        if month is not UNSET:
            field_dict["month"] = month
        if week is not UNSET:
            field_dict["week"] = week
        if direction is not UNSET:
            field_dict["direction"] = direction
        if referral_type is not UNSET:
            field_dict["referral_type"] = referral_type
        if status is not UNSET:
            field_dict["status"] = status
        if priority is not UNSET:
            field_dict["priority"] = priority
        if counterpart is not UNSET:
            field_dict["counterpart"] = counterpart

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        def _parse_acknowledged_by_deadline_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        acknowledged_by_deadline_share = _parse_acknowledged_by_deadline_share(d.pop("acknowledged_by_deadline_share"))

        def _parse_median_seconds_to_acknowledge(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_seconds_to_acknowledge = _parse_median_seconds_to_acknowledge(d.pop("median_seconds_to_acknowledge"))

        def _parse_p90_seconds_to_acknowledge(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p90_seconds_to_acknowledge = _parse_p90_seconds_to_acknowledge(d.pop("p90_seconds_to_acknowledge"))

        def _parse_median_seconds_to_accept(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_seconds_to_accept = _parse_median_seconds_to_accept(d.pop("median_seconds_to_accept"))

        def _parse_p90_seconds_to_accept(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p90_seconds_to_accept = _parse_p90_seconds_to_accept(d.pop("p90_seconds_to_accept"))

        overdue_now = d.pop("overdue_now")

        def _parse_hhs_notified_on_time_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        hhs_notified_on_time_share = _parse_hhs_notified_on_time_share(d.pop("hhs_notified_on_time_share"))

        cp_granted = d.pop("cp_granted")

        cp_expiring_90d = d.pop("cp_expiring_90d")

        cp_extended = d.pop("cp_extended")

        month = d.pop("month", UNSET)

        week = d.pop("week", UNSET)

        _direction = d.pop("direction", UNSET)
        direction: DirectionEnum | Unset
        if isinstance(_direction, Unset):
            direction = UNSET
        else:
            direction = DirectionEnum(_direction)

        _referral_type = d.pop("referral_type", UNSET)
        referral_type: ReferralTypeEnum | Unset
        if isinstance(_referral_type, Unset):
            referral_type = UNSET
        else:
            referral_type = ReferralTypeEnum(_referral_type)

        _status = d.pop("status", UNSET)
        status: ReferralStatsRowStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ReferralStatsRowStatusEnum(_status)

        _priority = d.pop("priority", UNSET)
        priority: PriorityEnum | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = PriorityEnum(_priority)

        counterpart = d.pop("counterpart", UNSET)

        referral_stats_row = cls(
            count=count,
            acknowledged_by_deadline_share=acknowledged_by_deadline_share,
            median_seconds_to_acknowledge=median_seconds_to_acknowledge,
            p90_seconds_to_acknowledge=p90_seconds_to_acknowledge,
            median_seconds_to_accept=median_seconds_to_accept,
            p90_seconds_to_accept=p90_seconds_to_accept,
            overdue_now=overdue_now,
            hhs_notified_on_time_share=hhs_notified_on_time_share,
            cp_granted=cp_granted,
            cp_expiring_90d=cp_expiring_90d,
            cp_extended=cp_extended,
            month=month,
            week=week,
            direction=direction,
            referral_type=referral_type,
            status=status,
            priority=priority,
            counterpart=counterpart,
        )

        referral_stats_row.additional_properties = d
        return referral_stats_row

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
