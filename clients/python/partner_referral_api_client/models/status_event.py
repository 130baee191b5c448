from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.status_event_actor import StatusEventActor


T = TypeVar("T", bound="StatusEvent")


@_attrs_define
class StatusEvent:
    """
    Attributes:
        id (UUID):
        action (str): create, or the lifecycle action taken.
        from_status (None | str):
        to_status (str):
        actor (StatusEventActor): {agency, client_name}
        reason_code (None | str):
        reason (None | str): Reason, question, answer or outcome text.
        created_at (datetime.datetime):
    """

    id: UUID
    action: str
    from_status: None | str
    to_status: str
    actor: StatusEventActor
    reason_code: None | str
    reason: None | str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        action = self.action

        from_status: None | str
        from_status = self.from_status

        to_status = self.to_status

        actor = self.actor.to_dict()

        reason_code: None | str
        reason_code = self.reason_code

        reason: None | str
        reason = self.reason

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "action": action,
                "from_status": from_status,
                "to_status": to_status,
                "actor": actor,
                "reason_code": reason_code,
                "reason": reason,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.status_event_actor import StatusEventActor  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        action = d.pop("action")

        def _parse_from_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_status = _parse_from_status(d.pop("from_status"))

        to_status = d.pop("to_status")

        actor = StatusEventActor.from_dict(d.pop("actor"))

        def _parse_reason_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason_code = _parse_reason_code(d.pop("reason_code"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        status_event = cls(
            id=id,
            action=action,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            reason_code=reason_code,
            reason=reason,
            created_at=created_at,
        )

        status_event.additional_properties = d
        return status_event

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
