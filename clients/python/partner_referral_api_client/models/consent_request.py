from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ConsentRequest")


@_attrs_define
class ConsentRequest:
    """Refuses unknown fields and fields the server owns, naming each (api-contract.md, Conventions).

    Attributes:
        obtained (bool):
        obtained_at (datetime.datetime | None | Unset):
        scope (None | str | Unset):
    """

    obtained: bool
    obtained_at: datetime.datetime | None | Unset = UNSET
    scope: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        obtained = self.obtained

        obtained_at: None | str | Unset
        if isinstance(self.obtained_at, Unset):
            obtained_at = UNSET
        elif isinstance(self.obtained_at, datetime.datetime):
            obtained_at = self.obtained_at.isoformat()
        else:
            obtained_at = self.obtained_at

        scope: None | str | Unset
        if isinstance(self.scope, Unset):
            scope = UNSET
        else:
            scope = self.scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "obtained": obtained,
            }
        )
        if obtained_at is not UNSET:
            field_dict["obtained_at"] = obtained_at
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        obtained = d.pop("obtained")

        def _parse_obtained_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                obtained_at_type_0 = datetime.datetime.fromisoformat(data)

                return obtained_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        obtained_at = _parse_obtained_at(d.pop("obtained_at", UNSET))

        def _parse_scope(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scope = _parse_scope(d.pop("scope", UNSET))

        consent_request = cls(
            obtained=obtained,
            obtained_at=obtained_at,
            scope=scope,
        )

        consent_request.additional_properties = d
        return consent_request

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
