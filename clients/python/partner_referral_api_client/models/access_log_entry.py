from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AccessLogEntry")


@_attrs_define
class AccessLogEntry:
    """One access to a referral: who (agency, client), what (action, outcome), when, and the stated purpose.

    Attributes:
        id (UUID):
        occurred_at (datetime.datetime):
        agency (None | str):
        client_name (None | str):
        action (str):
        outcome (str):
        purpose (None | str):
        request_id (None | str):
    """

    id: UUID
    occurred_at: datetime.datetime
    agency: None | str
    client_name: None | str
    action: str
    outcome: str
    purpose: None | str
    request_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        occurred_at = self.occurred_at.isoformat()

        agency: None | str
        agency = self.agency

        client_name: None | str
        client_name = self.client_name

        action = self.action

        outcome = self.outcome

        purpose: None | str
        purpose = self.purpose

        request_id: None | str
        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "occurred_at": occurred_at,
                "agency": agency,
                "client_name": client_name,
                "action": action,
                "outcome": outcome,
                "purpose": purpose,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        def _parse_agency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        agency = _parse_agency(d.pop("agency"))

        def _parse_client_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_name = _parse_client_name(d.pop("client_name"))

        action = d.pop("action")

        outcome = d.pop("outcome")

        def _parse_purpose(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        purpose = _parse_purpose(d.pop("purpose"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        access_log_entry = cls(
            id=id,
            occurred_at=occurred_at,
            agency=agency,
            client_name=client_name,
            action=action,
            outcome=outcome,
            purpose=purpose,
            request_id=request_id,
        )

        access_log_entry.additional_properties = d
        return access_log_entry

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
