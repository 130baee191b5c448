from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type_enum import EventTypeEnum

if TYPE_CHECKING:
    from ..models.event_data import EventData
    from ..models.event_referral import EventReferral


T = TypeVar("T", bound="Event")


@_attrs_define
class Event:
    """
    Attributes:
        id (UUID): The event id; also the `webhook-id` of its webhook deliveries.
        type_ (EventTypeEnum): * `referral.created` - A referral was created
            * `referral.updated` - A referral's content changed
            * `referral.status_changed` - A referral moved to another status
            * `referral.note_added` - A note was added to a referral
            * `referral.attachment_added` - An attachment was added to a referral
            * `referral.overdue` - A referral passed its acknowledgement deadline
            * `referral.protection_changed` - A person's 8 U.S.C. 1367 protection was set
            * `referral.hhs_notified` - The HHS child notice was recorded
            * `referral.hhs_notification_overdue` - A required HHS child notice passed its due time unrecorded
            * `referral.recalled` - The sender recalled a referral sent in error
            * `referral.forwarded` - The receiver forwarded people of a referral to another agency
            * `referral.continued_presence_expiring` - A granted Continued Presence expires in one of CP_REMINDER_DAYS days
            * `referral.disposed` - A referral was disposed of under its retention policy
        occurred_at (datetime.datetime):
        referral (EventReferral):
        data (EventData): No PII: `actor_agency`, and e.g. `from_status`/`to_status` or `changed_fields`.
    """

    id: UUID
    type_: EventTypeEnum
    occurred_at: datetime.datetime
    referral: EventReferral
    data: EventData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        type_ = self.type_.value

        occurred_at = self.occurred_at.isoformat()

        referral = self.referral.to_dict()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "occurred_at": occurred_at,
                "referral": referral,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_data import EventData  # noqa: PLC0415
        from ..models.event_referral import EventReferral  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        type_ = EventTypeEnum(d.pop("type"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        referral = EventReferral.from_dict(d.pop("referral"))

        data = EventData.from_dict(d.pop("data"))

        event = cls(
            id=id,
            type_=type_,
            occurred_at=occurred_at,
            referral=referral,
            data=data,
        )

        event.additional_properties = d
        return event

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
