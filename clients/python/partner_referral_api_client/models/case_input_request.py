from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.case_location_request import CaseLocationRequest
    from ..models.organization_request import OrganizationRequest


T = TypeVar("T", bound="CaseInputRequest")


@_attrs_define
class CaseInputRequest:
    """Refuses unknown fields and fields the server owns, naming each (api-contract.md, Conventions).

    Attributes:
        sender_case_number (None | str | Unset):
        title (None | str | Unset):
        locations (list[CaseLocationRequest] | Unset):
        organizations (list[OrganizationRequest] | Unset):
    """

    sender_case_number: None | str | Unset = UNSET
    title: None | str | Unset = UNSET
    locations: list[CaseLocationRequest] | Unset = UNSET
    organizations: list[OrganizationRequest] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sender_case_number: None | str | Unset
        if isinstance(self.sender_case_number, Unset):
            sender_case_number = UNSET
        else:
            sender_case_number = self.sender_case_number

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        locations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.locations, Unset):
            locations = []
            for locations_item_data in self.locations:
                locations_item = locations_item_data.to_dict()
                locations.append(locations_item)

        organizations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.organizations, Unset):
            organizations = []
            for organizations_item_data in self.organizations:
                organizations_item = organizations_item_data.to_dict()
                organizations.append(organizations_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if sender_case_number is not UNSET:
            field_dict["sender_case_number"] = sender_case_number
        if title is not UNSET:
            field_dict["title"] = title
        if locations is not UNSET:
            field_dict["locations"] = locations
        if organizations is not UNSET:
            field_dict["organizations"] = organizations

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case_location_request import CaseLocationRequest  # noqa: PLC0415
        from ..models.organization_request import OrganizationRequest  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_sender_case_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sender_case_number = _parse_sender_case_number(d.pop("sender_case_number", UNSET))

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        _locations = d.pop("locations", UNSET)
        locations: list[CaseLocationRequest] | Unset = UNSET
        if _locations is not UNSET:
            locations = []
            for locations_item_data in _locations:
                locations_item = CaseLocationRequest.from_dict(locations_item_data)

                locations.append(locations_item)

        _organizations = d.pop("organizations", UNSET)
        organizations: list[OrganizationRequest] | Unset = UNSET
        if _organizations is not UNSET:
            organizations = []
            for organizations_item_data in _organizations:
                organizations_item = OrganizationRequest.from_dict(organizations_item_data)

                organizations.append(organizations_item)

        case_input_request = cls(
            sender_case_number=sender_case_number,
            title=title,
            locations=locations,
            organizations=organizations,
        )

        case_input_request.additional_properties = d
        return case_input_request

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
