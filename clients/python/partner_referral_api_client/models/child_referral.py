from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.receiver_agency import ReceiverAgency


T = TypeVar("T", bound="ChildReferral")


@_attrs_define
class ChildReferral:
    """
    Attributes:
        id (UUID):
        reference (str):
        receiver (ReceiverAgency):
        status (str):
    """

    id: UUID
    reference: str
    receiver: ReceiverAgency
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        reference = self.reference

        receiver = self.receiver.to_dict()

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "reference": reference,
                "receiver": receiver,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.receiver_agency import ReceiverAgency  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        reference = d.pop("reference")

        receiver = ReceiverAgency.from_dict(d.pop("receiver"))

        status = d.pop("status")

        child_referral = cls(
            id=id,
            reference=reference,
            receiver=receiver,
            status=status,
        )

        child_referral.additional_properties = d
        return child_referral

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
