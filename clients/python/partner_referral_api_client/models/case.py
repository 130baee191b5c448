from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.case_location import CaseLocation
    from ..models.organization import Organization


T = TypeVar("T", bound="Case")


@_attrs_define
class Case:
    """
    Attributes:
        sender_case_number (None | str):
        title (None | str):
        locations (list[CaseLocation]):
        organizations (list[Organization]):
    """

    sender_case_number: None | str
    title: None | str
    locations: list[CaseLocation]
    organizations: list[Organization]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sender_case_number: None | str
        sender_case_number = self.sender_case_number

        title: None | str
        title = self.title

        locations = []
        for locations_item_data in self.locations:
            locations_item = locations_item_data.to_dict()
            locations.append(locations_item)

        organizations = []
        for organizations_item_data in self.organizations:
            organizations_item = organizations_item_data.to_dict()
            organizations.append(organizations_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sender_case_number": sender_case_number,
                "title": title,
                "locations": locations,
                "organizations": organizations,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case_location import CaseLocation  # noqa: PLC0415
        from ..models.organization import Organization  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_sender_case_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sender_case_number = _parse_sender_case_number(d.pop("sender_case_number"))

        def _parse_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        title = _parse_title(d.pop("title"))

        locations = []
        _locations = d.pop("locations")
        for locations_item_data in _locations:
            locations_item = CaseLocation.from_dict(locations_item_data)

            locations.append(locations_item)

        organizations = []
        _organizations = d.pop("organizations")
        for organizations_item_data in _organizations:
            organizations_item = Organization.from_dict(organizations_item_data)

            organizations.append(organizations_item)

        case = cls(
            sender_case_number=sender_case_number,
            title=title,
            locations=locations,
            organizations=organizations,
        )

        case.additional_properties = d
        return case

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
