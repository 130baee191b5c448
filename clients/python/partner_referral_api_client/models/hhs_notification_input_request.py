from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.method_enum import MethodEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="HhsNotificationInputRequest")


@_attrs_define
class HhsNotificationInputRequest:
    """``POST referrals/{id}/hhs-notification/``: HHS was notified of a possible foreign national child victim.

    Attributes:
        notified_at (datetime.datetime): When HHS was notified (not in the future).
        method (MethodEnum): * `shepherd` - Request for Assistance in HHS's Shepherd system (gives a request number)
            * `backup_form` - Backup Request for Assistance form
            * `phone` - By telephone
        request_number (None | str | Unset): The request number Shepherd gave (required for method shepherd).
    """

    notified_at: datetime.datetime
    method: MethodEnum
    request_number: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        notified_at = self.notified_at.isoformat()

        method = self.method.value

        request_number: None | str | Unset
        if isinstance(self.request_number, Unset):
            request_number = UNSET
        else:
            request_number = self.request_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "notified_at": notified_at,
                "method": method,
            }
        )
        if request_number is not UNSET:
            field_dict["request_number"] = request_number

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        notified_at = datetime.datetime.fromisoformat(d.pop("notified_at"))

        method = MethodEnum(d.pop("method"))

        def _parse_request_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_number = _parse_request_number(d.pop("request_number", UNSET))

        hhs_notification_input_request = cls(
            notified_at=notified_at,
            method=method,
            request_number=request_number,
        )

        hhs_notification_input_request.additional_properties = d
        return hhs_notification_input_request

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
