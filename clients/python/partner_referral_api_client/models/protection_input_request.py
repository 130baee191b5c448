from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.protection_basis_enum import ProtectionBasisEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ProtectionInputRequest")


@_attrs_define
class ProtectionInputRequest:
    """``POST referrals/{id}/persons/{person_id}/protection/``: add 8 U.S.C. 1367 protection or change its end.

    Attributes:
        protected_1367 (bool): Must be true: protection is never removed through the API.
        protection_basis (None | ProtectionBasisEnum | Unset):
        protection_ends_on (datetime.date | None | Unset):
    """

    protected_1367: bool
    protection_basis: None | ProtectionBasisEnum | Unset = UNSET
    protection_ends_on: datetime.date | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        protected_1367 = self.protected_1367

        protection_basis: None | str | Unset
        if isinstance(self.protection_basis, Unset):
            protection_basis = UNSET
        elif isinstance(self.protection_basis, ProtectionBasisEnum):
            protection_basis = self.protection_basis.value
        else:
            protection_basis = self.protection_basis

        protection_ends_on: None | str | Unset
        if isinstance(self.protection_ends_on, Unset):
            protection_ends_on = UNSET
        elif isinstance(self.protection_ends_on, datetime.date):
            protection_ends_on = self.protection_ends_on.isoformat()
        else:
            protection_ends_on = self.protection_ends_on

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "protected_1367": protected_1367,
            }
        )
        if protection_basis is not UNSET:
            field_dict["protection_basis"] = protection_basis
        if protection_ends_on is not UNSET:
            field_dict["protection_ends_on"] = protection_ends_on

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        protected_1367 = d.pop("protected_1367")

        def _parse_protection_basis(data: object) -> None | ProtectionBasisEnum | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                protection_basis_type_0 = ProtectionBasisEnum(data)

                return protection_basis_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProtectionBasisEnum | Unset, data)

        protection_basis = _parse_protection_basis(d.pop("protection_basis", UNSET))

        def _parse_protection_ends_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                protection_ends_on_type_0 = datetime.date.fromisoformat(data)

                return protection_ends_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        protection_ends_on = _parse_protection_ends_on(d.pop("protection_ends_on", UNSET))

        protection_input_request = cls(
            protected_1367=protected_1367,
            protection_basis=protection_basis,
            protection_ends_on=protection_ends_on,
        )

        protection_input_request.additional_properties = d
        return protection_input_request

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
