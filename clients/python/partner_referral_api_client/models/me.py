from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agency_ref import AgencyRef


T = TypeVar("T", bound="Me")


@_attrs_define
class Me:
    """
    Attributes:
        client_id (str):
        client_name (str):
        agency (AgencyRef):
        scopes (list[str]): The scopes of this access token.
    """

    client_id: str
    client_name: str
    agency: AgencyRef
    scopes: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        client_name = self.client_name

        agency = self.agency.to_dict()

        scopes = self.scopes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "client_name": client_name,
                "agency": agency,
                "scopes": scopes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agency_ref import AgencyRef  # noqa: PLC0415

        d = dict(src_dict)
        client_id = d.pop("client_id")

        client_name = d.pop("client_name")

        agency = AgencyRef.from_dict(d.pop("agency"))

        scopes = cast(list[str], d.pop("scopes"))

        me = cls(
            client_id=client_id,
            client_name=client_name,
            agency=agency,
            scopes=scopes,
        )

        me.additional_properties = d
        return me

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
