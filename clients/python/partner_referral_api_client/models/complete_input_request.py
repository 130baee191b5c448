from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.outcome_code_enum import OutcomeCodeEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.continued_presence_request import ContinuedPresenceRequest


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
            * `declaration_signed` - Form I-914 Supplement B declaration signed (T visa)
            * `certification_signed` - Form I-918 Supplement B certification signed (U visa)
            * `declined_to_certify` - The agency declined to sign a Supplement B
            * `certification_confirmed` - The signing agency confirmed the Supplement B
            * `certification_not_confirmed` - The signing agency did not confirm the Supplement B
            * `noted_on_application` - USCIS noted the information on the pending application
            * `referred_elsewhere` - Referred to another agency or provider
            * `person_declined` - The person declined services
            * `unable_to_contact` - Unable to contact the person
            * `no_action` - No action taken
            * `other` - Other (explain in outcome)
        outcome (str): Recorded in the history as the reason.
        continued_presence (ContinuedPresenceRequest | Unset): The dates of a granted Continued Presence: at most two
            years apart (DHS Continued Presence Resource Guide).
    """

    outcome_code: OutcomeCodeEnum
    outcome: str
    continued_presence: ContinuedPresenceRequest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        outcome_code = self.outcome_code.value

        outcome = self.outcome

        continued_presence: dict[str, Any] | Unset = UNSET
        if not isinstance(self.continued_presence, Unset):
            continued_presence = self.continued_presence.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "outcome_code": outcome_code,
                "outcome": outcome,
            }
        )
        if continued_presence is not UNSET:
            field_dict["continued_presence"] = continued_presence

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.continued_presence_request import ContinuedPresenceRequest  # noqa: PLC0415

        d = dict(src_dict)
        outcome_code = OutcomeCodeEnum(d.pop("outcome_code"))

        outcome = d.pop("outcome")

        _continued_presence = d.pop("continued_presence", UNSET)
        continued_presence: ContinuedPresenceRequest | Unset
        if isinstance(_continued_presence, Unset):
            continued_presence = UNSET
        else:
            continued_presence = ContinuedPresenceRequest.from_dict(_continued_presence)

        complete_input_request = cls(
            outcome_code=outcome_code,
            outcome=outcome,
            continued_presence=continued_presence,
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
