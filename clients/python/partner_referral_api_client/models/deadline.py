from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.deadline_kind_enum import DeadlineKindEnum

T = TypeVar("T", bound="Deadline")


@_attrs_define
class Deadline:
    """
    Attributes:
        kind (DeadlineKindEnum): * `acknowledgement` - Acknowledgement
            * `hhs_notice` - HHS child notice
            * `continued_presence_expiry` - Continued Presence expiry
            * `i918_supplement_b_usability` - I-918 Supplement B usability
            * `protection_1367_end` - End of 8 U.S.C. 1367 protection
        due_at (datetime.datetime): For a date deadline, 00:00:00Z after its last day.
        open_ (bool): Not yet met (or ended).
        overdue (bool): Open and passed.
    """

    kind: DeadlineKindEnum
    due_at: datetime.datetime
    open_: bool
    overdue: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        due_at = self.due_at.isoformat()

        open_ = self.open_

        overdue = self.overdue

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "due_at": due_at,
                "open": open_,
                "overdue": overdue,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = DeadlineKindEnum(d.pop("kind"))

        due_at = datetime.datetime.fromisoformat(d.pop("due_at"))

        open_ = d.pop("open")

        overdue = d.pop("overdue")

        deadline = cls(
            kind=kind,
            due_at=due_at,
            open_=open_,
            overdue=overdue,
        )

        deadline.additional_properties = d
        return deadline

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
