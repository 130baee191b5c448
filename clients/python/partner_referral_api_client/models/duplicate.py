from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.match_enum import MatchEnum

T = TypeVar("T", bound="Duplicate")


@_attrs_define
class Duplicate:
    """
    Attributes:
        id (UUID):
        reference (str):
        match (list[MatchEnum]):
    """

    id: UUID
    reference: str
    match: list[MatchEnum]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        reference = self.reference

        match = []
        for match_item_data in self.match:
            match_item = match_item_data.value
            match.append(match_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "reference": reference,
                "match": match,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        reference = d.pop("reference")

        match = []
        _match = d.pop("match")
        for match_item_data in _match:
            match_item = MatchEnum(match_item_data)

            match.append(match_item)

        duplicate = cls(
            id=id,
            reference=reference,
            match=match,
        )

        duplicate.additional_properties = d
        return duplicate

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
