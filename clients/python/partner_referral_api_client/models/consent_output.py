from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConsentOutput")


@_attrs_define
class ConsentOutput:
    """
    Attributes:
        obtained (bool):
        obtained_at (datetime.datetime | None):
        scope (None | str):
    """

    obtained: bool
    obtained_at: datetime.datetime | None
    scope: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        obtained = self.obtained

        obtained_at: None | str
        if isinstance(self.obtained_at, datetime.datetime):
            obtained_at = self.obtained_at.isoformat()
        else:
            obtained_at = self.obtained_at

        scope: None | str
        scope = self.scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "obtained": obtained,
                "obtained_at": obtained_at,
                "scope": scope,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        obtained = d.pop("obtained")

        def _parse_obtained_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                obtained_at_type_0 = datetime.datetime.fromisoformat(data)

                return obtained_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        obtained_at = _parse_obtained_at(d.pop("obtained_at"))

        def _parse_scope(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        scope = _parse_scope(d.pop("scope"))

        consent_output = cls(
            obtained=obtained,
            obtained_at=obtained_at,
            scope=scope,
        )

        consent_output.additional_properties = d
        return consent_output

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
