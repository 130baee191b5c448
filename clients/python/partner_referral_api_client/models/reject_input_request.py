from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reason_code_enum import ReasonCodeEnum

T = TypeVar("T", bound="RejectInputRequest")


@_attrs_define
class RejectInputRequest:
    """Refuses unknown fields and fields the server owns, naming each (api-contract.md, Conventions).

    Attributes:
        reason_code (ReasonCodeEnum): * `not_in_jurisdiction` - Outside the receiver's jurisdiction or mission
            * `insufficient_information` - Not enough information to act
            * `duplicate` - Duplicates an earlier referral
            * `no_trafficking_indicators` - No indicators of trafficking
            * `person_declined` - The person declined
            * `other` - Other (explain in reason)
        reason (str): Recorded in the history as the reason.
    """

    reason_code: ReasonCodeEnum
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason_code = self.reason_code.value

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason_code": reason_code,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason_code = ReasonCodeEnum(d.pop("reason_code"))

        reason = d.pop("reason")

        reject_input_request = cls(
            reason_code=reason_code,
            reason=reason,
        )

        reject_input_request.additional_properties = d
        return reject_input_request

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
