from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.indicators_enum import IndicatorsEnum
from ..models.priority_enum import PriorityEnum
from ..models.trafficking_types_enum import TraffickingTypesEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.case_input_request import CaseInputRequest
    from ..models.consent_request import ConsentRequest
    from ..models.person_input_request import PersonInputRequest
    from ..models.receiver_input_request import ReceiverInputRequest


T = TypeVar("T", bound="PatchedReferralUpdateRequest")


@_attrs_define
class PatchedReferralUpdateRequest:
    """Every field optional; ``persons`` and ``case`` replace the whole list or object.

    Attributes:
        priority (PriorityEnum | Unset): * `routine` - Routine
            * `urgent` - Urgent
            * `immediate_danger` - Immediate danger
        external_reference (None | str | Unset): Your own reference; unique per sending agency (a second referral with
            it is 409).
        summary (str | Unset):
        narrative (None | str | Unset):
        trafficking_types (list[TraffickingTypesEnum] | Unset):
        indicators (list[IndicatorsEnum] | Unset):
        persons (list[PersonInputRequest] | Unset):
        case (CaseInputRequest | None | Unset):
        consent (ConsentRequest | None | Unset):
        related_referral (None | Unset | UUID): An earlier referral this one follows up (one you can see).
        encountered_at (datetime.datetime | Unset): When your officers encountered the people (default: now). Not in the
            future. Each person's age and the HHS notice's 24 hours run from it.
        hhs_notified_at (datetime.datetime | None | Unset): **Deprecated** (answers carry `Deprecation` and `Link`
            headers): use `POST referrals/{id}/hhs-notification/`. Mapped to that record with `method: null`.
        receiver (ReceiverInputRequest | Unset): Refuses unknown fields and fields the server owns, naming each (api-
            contract.md, Conventions).
    """

    priority: PriorityEnum | Unset = UNSET
    external_reference: None | str | Unset = UNSET
    summary: str | Unset = UNSET
    narrative: None | str | Unset = UNSET
    trafficking_types: list[TraffickingTypesEnum] | Unset = UNSET
    indicators: list[IndicatorsEnum] | Unset = UNSET
    persons: list[PersonInputRequest] | Unset = UNSET
    case: CaseInputRequest | None | Unset = UNSET
    consent: ConsentRequest | None | Unset = UNSET
    related_referral: None | Unset | UUID = UNSET
    encountered_at: datetime.datetime | Unset = UNSET
    hhs_notified_at: datetime.datetime | None | Unset = UNSET
    receiver: ReceiverInputRequest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.case_input_request import CaseInputRequest  # noqa: PLC0415
        from ..models.consent_request import ConsentRequest  # noqa: PLC0415

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        external_reference: None | str | Unset
        if isinstance(self.external_reference, Unset):
            external_reference = UNSET
        else:
            external_reference = self.external_reference

        summary = self.summary

        narrative: None | str | Unset
        if isinstance(self.narrative, Unset):
            narrative = UNSET
        else:
            narrative = self.narrative

        trafficking_types: list[str] | Unset = UNSET
        if not isinstance(self.trafficking_types, Unset):
            trafficking_types = []
            for trafficking_types_item_data in self.trafficking_types:
                trafficking_types_item = trafficking_types_item_data.value
                trafficking_types.append(trafficking_types_item)

        indicators: list[str] | Unset = UNSET
        if not isinstance(self.indicators, Unset):
            indicators = []
            for indicators_item_data in self.indicators:
                indicators_item = indicators_item_data.value
                indicators.append(indicators_item)

        persons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.persons, Unset):
            persons = []
            for persons_item_data in self.persons:
                persons_item = persons_item_data.to_dict()
                persons.append(persons_item)

        case: dict[str, Any] | None | Unset
        if isinstance(self.case, Unset):
            case = UNSET
        elif isinstance(self.case, CaseInputRequest):
            case = self.case.to_dict()
        else:
            case = self.case

        consent: dict[str, Any] | None | Unset
        if isinstance(self.consent, Unset):
            consent = UNSET
        elif isinstance(self.consent, ConsentRequest):
            consent = self.consent.to_dict()
        else:
            consent = self.consent

        related_referral: None | str | Unset
        if isinstance(self.related_referral, Unset):
            related_referral = UNSET
        elif isinstance(self.related_referral, UUID):
            related_referral = str(self.related_referral)
        else:
            related_referral = self.related_referral

        encountered_at: str | Unset = UNSET
        if not isinstance(self.encountered_at, Unset):
            encountered_at = self.encountered_at.isoformat()

        hhs_notified_at: None | str | Unset
        if isinstance(self.hhs_notified_at, Unset):
            hhs_notified_at = UNSET
        elif isinstance(self.hhs_notified_at, datetime.datetime):
            hhs_notified_at = self.hhs_notified_at.isoformat()
        else:
            hhs_notified_at = self.hhs_notified_at

        receiver: dict[str, Any] | Unset = UNSET
        if not isinstance(self.receiver, Unset):
            receiver = self.receiver.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if priority is not UNSET:
            field_dict["priority"] = priority
        if external_reference is not UNSET:
            field_dict["external_reference"] = external_reference
        if summary is not UNSET:
            field_dict["summary"] = summary
        if narrative is not UNSET:
            field_dict["narrative"] = narrative
        if trafficking_types is not UNSET:
            field_dict["trafficking_types"] = trafficking_types
        if indicators is not UNSET:
            field_dict["indicators"] = indicators
        if persons is not UNSET:
            field_dict["persons"] = persons
        if case is not UNSET:
            field_dict["case"] = case
        if consent is not UNSET:
            field_dict["consent"] = consent
        if related_referral is not UNSET:
            field_dict["related_referral"] = related_referral
        if encountered_at is not UNSET:
            field_dict["encountered_at"] = encountered_at
        if hhs_notified_at is not UNSET:
            field_dict["hhs_notified_at"] = hhs_notified_at
        if receiver is not UNSET:
            field_dict["receiver"] = receiver

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case_input_request import CaseInputRequest  # noqa: PLC0415
        from ..models.consent_request import ConsentRequest  # noqa: PLC0415
        from ..models.person_input_request import PersonInputRequest  # noqa: PLC0415
        from ..models.receiver_input_request import ReceiverInputRequest  # noqa: PLC0415

        d = dict(src_dict)
        _priority = d.pop("priority", UNSET)
        priority: PriorityEnum | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = PriorityEnum(_priority)

        def _parse_external_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_reference = _parse_external_reference(d.pop("external_reference", UNSET))

        summary = d.pop("summary", UNSET)

        def _parse_narrative(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        narrative = _parse_narrative(d.pop("narrative", UNSET))

        _trafficking_types = d.pop("trafficking_types", UNSET)
        trafficking_types: list[TraffickingTypesEnum] | Unset = UNSET
        if _trafficking_types is not UNSET:
            trafficking_types = []
            for trafficking_types_item_data in _trafficking_types:
                trafficking_types_item = TraffickingTypesEnum(trafficking_types_item_data)

                trafficking_types.append(trafficking_types_item)

        _indicators = d.pop("indicators", UNSET)
        indicators: list[IndicatorsEnum] | Unset = UNSET
        if _indicators is not UNSET:
            indicators = []
            for indicators_item_data in _indicators:
                indicators_item = IndicatorsEnum(indicators_item_data)

                indicators.append(indicators_item)

        _persons = d.pop("persons", UNSET)
        persons: list[PersonInputRequest] | Unset = UNSET
        if _persons is not UNSET:
            persons = []
            for persons_item_data in _persons:
                persons_item = PersonInputRequest.from_dict(persons_item_data)

                persons.append(persons_item)

        def _parse_case(data: object) -> CaseInputRequest | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                case_type_1 = CaseInputRequest.from_dict(data)

                return case_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CaseInputRequest | None | Unset, data)

        case = _parse_case(d.pop("case", UNSET))

        def _parse_consent(data: object) -> ConsentRequest | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                consent_type_1 = ConsentRequest.from_dict(data)

                return consent_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConsentRequest | None | Unset, data)

        consent = _parse_consent(d.pop("consent", UNSET))

        def _parse_related_referral(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                related_referral_type_0 = UUID(data)

                return related_referral_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        related_referral = _parse_related_referral(d.pop("related_referral", UNSET))

        _encountered_at = d.pop("encountered_at", UNSET)
        encountered_at: datetime.datetime | Unset
        if isinstance(_encountered_at, Unset):
            encountered_at = UNSET
        else:
            encountered_at = datetime.datetime.fromisoformat(_encountered_at)

        def _parse_hhs_notified_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                hhs_notified_at_type_0 = datetime.datetime.fromisoformat(data)

                return hhs_notified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        hhs_notified_at = _parse_hhs_notified_at(d.pop("hhs_notified_at", UNSET))

        _receiver = d.pop("receiver", UNSET)
        receiver: ReceiverInputRequest | Unset
        if isinstance(_receiver, Unset):
            receiver = UNSET
        else:
            receiver = ReceiverInputRequest.from_dict(_receiver)

        patched_referral_update_request = cls(
            priority=priority,
            external_reference=external_reference,
            summary=summary,
            narrative=narrative,
            trafficking_types=trafficking_types,
            indicators=indicators,
            persons=persons,
            case=case,
            consent=consent,
            related_referral=related_referral,
            encountered_at=encountered_at,
            hhs_notified_at=hhs_notified_at,
            receiver=receiver,
        )

        patched_referral_update_request.additional_properties = d
        return patched_referral_update_request

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
