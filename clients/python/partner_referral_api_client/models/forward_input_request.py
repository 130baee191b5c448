from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.referral_type_enum import ReferralTypeEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.disclosure_basis_for_person_request import DisclosureBasisForPersonRequest
    from ..models.receiver_input_request import ReceiverInputRequest


T = TypeVar("T", bound="ForwardInputRequest")


@_attrs_define
class ForwardInputRequest:
    """Forward chosen people of a referral you received to a third agency, as a new referral from you.

    Attributes:
        receiver (ReceiverInputRequest): Refuses unknown fields and fields the server owns, naming each (api-
            contract.md, Conventions).
        referral_type (ReferralTypeEnum): * `investigative_lead` - Investigative lead
            * `victim_assistance` - Victim assistance
            * `continued_presence` - Continued Presence request
            * `continued_presence_extension` - Continued Presence extension
            * `relief_support` - Support for a T or U application
            * `certification_verification` - Supplement B certification verification
            * `information_request` - Information request
            * `immigration_relief_screening` - T/U immigration relief screening (deprecated)
        person_ids (list[UUID]): Ids of people of this referral to forward (`persons[].id`).
        summary (str):
        note (None | str | Unset): Free text for the new receiver; becomes the new referral's `narrative`.
        disclosure_bases (list[DisclosureBasisForPersonRequest] | Unset): For a person protected by 8 U.S.C. 1367 going
            to an agency not marked `may_receive_1367_protected`: the statutory basis of the disclosure.
    """

    receiver: ReceiverInputRequest
    referral_type: ReferralTypeEnum
    person_ids: list[UUID]
    summary: str
    note: None | str | Unset = UNSET
    disclosure_bases: list[DisclosureBasisForPersonRequest] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        receiver = self.receiver.to_dict()

        referral_type = self.referral_type.value

        person_ids = []
        for person_ids_item_data in self.person_ids:
            person_ids_item = str(person_ids_item_data)
            person_ids.append(person_ids_item)

        summary = self.summary

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        disclosure_bases: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.disclosure_bases, Unset):
            disclosure_bases = []
            for disclosure_bases_item_data in self.disclosure_bases:
                disclosure_bases_item = disclosure_bases_item_data.to_dict()
                disclosure_bases.append(disclosure_bases_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "receiver": receiver,
                "referral_type": referral_type,
                "person_ids": person_ids,
                "summary": summary,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note
        if disclosure_bases is not UNSET:
            field_dict["disclosure_bases"] = disclosure_bases

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.disclosure_basis_for_person_request import DisclosureBasisForPersonRequest  # noqa: PLC0415
        from ..models.receiver_input_request import ReceiverInputRequest  # noqa: PLC0415

        d = dict(src_dict)
        receiver = ReceiverInputRequest.from_dict(d.pop("receiver"))

        referral_type = ReferralTypeEnum(d.pop("referral_type"))

        person_ids = []
        _person_ids = d.pop("person_ids")
        for person_ids_item_data in _person_ids:
            person_ids_item = UUID(person_ids_item_data)

            person_ids.append(person_ids_item)

        summary = d.pop("summary")

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        _disclosure_bases = d.pop("disclosure_bases", UNSET)
        disclosure_bases: list[DisclosureBasisForPersonRequest] | Unset = UNSET
        if _disclosure_bases is not UNSET:
            disclosure_bases = []
            for disclosure_bases_item_data in _disclosure_bases:
                disclosure_bases_item = DisclosureBasisForPersonRequest.from_dict(disclosure_bases_item_data)

                disclosure_bases.append(disclosure_bases_item)

        forward_input_request = cls(
            receiver=receiver,
            referral_type=referral_type,
            person_ids=person_ids,
            summary=summary,
            note=note,
            disclosure_bases=disclosure_bases,
        )

        forward_input_request.additional_properties = d
        return forward_input_request

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
