from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.outcome_code_enum import OutcomeCodeEnum

T = TypeVar("T", bound="CompleteInputRequest")


@_attrs_define
class CompleteInputRequest:
    """Refuses unknown fields and fields the server owns, naming each (api-contract.md, Conventions).

    Attributes:
        outcome_code (OutcomeCodeEnum): * `services_provided` - Victim services provided
            * `case_opened` - Investigation opened
            * `continued_presence_granted` - Continued Presence granted
            * `continued_presence_denied` - Continued Presence denied
            * `screened_eligible` - Screened: may be eligible for T or U status
            * `screened_not_eligible` - Screened: not eligible
            * `information_provided` - Information provided
            * `referred_elsewhere` - Referred to another agency or provider
            * `person_declined` - The person declined services
            * `unable_to_contact` - Unable to contact the person
            * `no_action` - No action taken
            * `other` - Other (explain in outcome)
        outcome (str): Recorded in the history as the reason.
    """

    outcome_code: OutcomeCodeEnum
    outcome: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        outcome_code = self.outcome_code.value

        outcome = self.outcome

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "outcome_code": outcome_code,
                "outcome": outcome,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        outcome_code = OutcomeCodeEnum(d.pop("outcome_code"))

        outcome = d.pop("outcome")

        complete_input_request = cls(
            outcome_code=outcome_code,
            outcome=outcome,
        )

        complete_input_request.additional_properties = d
        return complete_input_request

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
