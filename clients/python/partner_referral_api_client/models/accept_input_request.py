from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AcceptInputRequest")


@_attrs_define
class AcceptInputRequest:
    """Refuses unknown fields and fields the server owns, naming each (api-contract.md, Conventions).

    Attributes:
        assignee (None | str | Unset): Who at the receiver handles it (an office or a role).
        receiver_reference (None | str | Unset): Your agency's own case number for this referral (an HSI case, a USCIS
            receipt number): 1-100 letters, digits and . _ - / : #. Shown to both parties; filter with
            `receiver_reference=`.
    """

    assignee: None | str | Unset = UNSET
    receiver_reference: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assignee: None | str | Unset
        if isinstance(self.assignee, Unset):
            assignee = UNSET
        else:
            assignee = self.assignee

        receiver_reference: None | str | Unset
        if isinstance(self.receiver_reference, Unset):
            receiver_reference = UNSET
        else:
            receiver_reference = self.receiver_reference

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if assignee is not UNSET:
            field_dict["assignee"] = assignee
        if receiver_reference is not UNSET:
            field_dict["receiver_reference"] = receiver_reference

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_assignee(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assignee = _parse_assignee(d.pop("assignee", UNSET))

        def _parse_receiver_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        receiver_reference = _parse_receiver_reference(d.pop("receiver_reference", UNSET))

        accept_input_request = cls(
            assignee=assignee,
            receiver_reference=receiver_reference,
        )

        accept_input_request.additional_properties = d
        return accept_input_request

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
