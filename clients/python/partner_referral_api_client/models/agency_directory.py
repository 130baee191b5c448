from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.office import Office


T = TypeVar("T", bound="AgencyDirectory")


@_attrs_define
class AgencyDirectory:
    """
    Attributes:
        code (str):
        name (str):
        offices (list[Office]):
        accepts_referral_types (list[str]):
        may_receive_1367_protected (bool):
    """

    code: str
    name: str
    offices: list[Office]
    accepts_referral_types: list[str]
    may_receive_1367_protected: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        offices = []
        for offices_item_data in self.offices:
            offices_item = offices_item_data.to_dict()
            offices.append(offices_item)

        accepts_referral_types = self.accepts_referral_types

        may_receive_1367_protected = self.may_receive_1367_protected

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "name": name,
                "offices": offices,
                "accepts_referral_types": accepts_referral_types,
                "may_receive_1367_protected": may_receive_1367_protected,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.office import Office  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        offices = []
        _offices = d.pop("offices")
        for offices_item_data in _offices:
            offices_item = Office.from_dict(offices_item_data)

            offices.append(offices_item)

        accepts_referral_types = cast(list[str], d.pop("accepts_referral_types"))

        may_receive_1367_protected = d.pop("may_receive_1367_protected")

        agency_directory = cls(
            code=code,
            name=name,
            offices=offices,
            accepts_referral_types=accepts_referral_types,
            may_receive_1367_protected=may_receive_1367_protected,
        )

        agency_directory.additional_properties = d
        return agency_directory

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
