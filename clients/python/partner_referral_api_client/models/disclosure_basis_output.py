from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.exception_enum import ExceptionEnum

T = TypeVar("T", bound="DisclosureBasisOutput")


@_attrs_define
class DisclosureBasisOutput:
    """
    Attributes:
        exception (ExceptionEnum): * `b2_law_enforcement` - 1367(b)(2): to law enforcement officials for a legitimate
            law enforcement purpose
            * `b4_waiver` - 1367(b)(4): every individual in the case is an adult and has waived the protection
            * `b5_benefits` - 1367(b)(5): to a benefit-granting agency for an eligibility determination
            * `b6_victim_services` - 1367(b)(6): to a nonprofit victim service provider for victim services
        authority (None | str):
        waiver_signed_on (datetime.date | None):
    """

    exception: ExceptionEnum
    authority: None | str
    waiver_signed_on: datetime.date | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        exception = self.exception.value

        authority: None | str
        authority = self.authority

        waiver_signed_on: None | str
        if isinstance(self.waiver_signed_on, datetime.date):
            waiver_signed_on = self.waiver_signed_on.isoformat()
        else:
            waiver_signed_on = self.waiver_signed_on

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "exception": exception,
                "authority": authority,
                "waiver_signed_on": waiver_signed_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        exception = ExceptionEnum(d.pop("exception"))

        def _parse_authority(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        authority = _parse_authority(d.pop("authority"))

        def _parse_waiver_signed_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                waiver_signed_on_type_0 = datetime.date.fromisoformat(data)

                return waiver_signed_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        waiver_signed_on = _parse_waiver_signed_on(d.pop("waiver_signed_on"))

        disclosure_basis_output = cls(
            exception=exception,
            authority=authority,
            waiver_signed_on=waiver_signed_on,
        )

        disclosure_basis_output.additional_properties = d
        return disclosure_basis_output

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
