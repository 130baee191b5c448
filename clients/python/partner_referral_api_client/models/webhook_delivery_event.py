from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type_enum import EventTypeEnum

T = TypeVar("T", bound="WebhookDeliveryEvent")


@_attrs_define
class WebhookDeliveryEvent:
    """
    Attributes:
        id (UUID):
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
    """

    id: UUID
    type_: EventTypeEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        type_ = EventTypeEnum(d.pop("type"))

        webhook_delivery_event = cls(
            id=id,
            type_=type_,
        )

        webhook_delivery_event.additional_properties = d
        return webhook_delivery_event

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
