from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.method_enum import MethodEnum

T = TypeVar("T", bound="HhsNotification")


@_attrs_define
class HhsNotification:
    """The HHS child notice (22 U.S.C. 7105(b)(1)(G): within 24 hours of discovering a foreign national minor who
    may be a trafficking victim).

        Attributes:
            required (bool): A victim or possible victim is a minor (at encountered_at) and not us_citizen_or_lpr: yes.
            due_by (datetime.datetime | None): encountered_at + 24 hours (when required).
            notified_at (datetime.datetime | None):
            method (MethodEnum | None):
            request_number (None | str): Shepherd request number.
            notified_by (None | str): Agency code of the party that recorded it.
            overdue (bool): Required, unrecorded and past due_by.
    """

    required: bool
    due_by: datetime.datetime | None
    notified_at: datetime.datetime | None
    method: MethodEnum | None
    request_number: None | str
    notified_by: None | str
    overdue: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        required = self.required

        due_by: None | str
        if isinstance(self.due_by, datetime.datetime):
            due_by = self.due_by.isoformat()
        else:
            due_by = self.due_by

        notified_at: None | str
        if isinstance(self.notified_at, datetime.datetime):
            notified_at = self.notified_at.isoformat()
        else:
            notified_at = self.notified_at

        method: None | str
        if isinstance(self.method, MethodEnum):
            method = self.method.value
        else:
            method = self.method

        request_number: None | str
        request_number = self.request_number

        notified_by: None | str
        notified_by = self.notified_by

        overdue = self.overdue

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "required": required,
                "due_by": due_by,
                "notified_at": notified_at,
                "method": method,
                "request_number": request_number,
                "notified_by": notified_by,
                "overdue": overdue,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        required = d.pop("required")

        def _parse_due_by(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_by_type_0 = datetime.datetime.fromisoformat(data)

                return due_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        due_by = _parse_due_by(d.pop("due_by"))

        def _parse_notified_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                notified_at_type_0 = datetime.datetime.fromisoformat(data)

                return notified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        notified_at = _parse_notified_at(d.pop("notified_at"))

        def _parse_method(data: object) -> MethodEnum | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                method_type_0 = MethodEnum(data)

                return method_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MethodEnum | None, data)

        method = _parse_method(d.pop("method"))

        def _parse_request_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_number = _parse_request_number(d.pop("request_number"))

        def _parse_notified_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        notified_by = _parse_notified_by(d.pop("notified_by"))

        overdue = d.pop("overdue")

        hhs_notification = cls(
            required=required,
            due_by=due_by,
            notified_at=notified_at,
            method=method,
            request_number=request_number,
            notified_by=notified_by,
            overdue=overdue,
        )

        hhs_notification.additional_properties = d
        return hhs_notification

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
