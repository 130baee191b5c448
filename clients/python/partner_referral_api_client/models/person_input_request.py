from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.protection_basis_enum import ProtectionBasisEnum
from ..models.role_enum import RoleEnum
from ..models.sex_enum import SexEnum
from ..models.us_citizen_or_lpr_enum import UsCitizenOrLprEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.disclosure_basis_request import DisclosureBasisRequest
    from ..models.location_request import LocationRequest
    from ..models.other_identifier_request import OtherIdentifierRequest
    from ..models.safe_contact_request import SafeContactRequest


T = TypeVar("T", bound="PersonInputRequest")


@_attrs_define
class PersonInputRequest:
    """Refuses unknown fields and fields the server owns, naming each (api-contract.md, Conventions).

    Attributes:
        role (RoleEnum): * `victim` - Victim
            * `potential_victim` - Potential victim
            * `suspect` - Suspected trafficker
            * `witness` - Witness
        given_name (None | str | Unset):
        family_name (None | str | Unset):
        aliases (list[str] | Unset):
        date_of_birth (datetime.date | None | Unset):
        sex (SexEnum | Unset): * `female` - Female
            * `male` - Male
            * `x` - X
            * `unknown` - Unknown Default: SexEnum.UNKNOWN.
        citizenships (list[str] | Unset):
        languages (list[str] | Unset): BCP 47 language tags (RFC 5646), e.g. es, mam, quc, kek, ixl, zh-Hant; stored in
            canonical form (EN becomes en). ISO 639-1 codes are BCP 47 tags too.
        interpreter_needed (bool | Unset): Needs an interpreter. Default: False.
        us_citizen_or_lpr (UsCitizenOrLprEnum | Unset): * `yes` - U.S. citizen or lawful permanent resident
            * `no` - Neither
            * `unknown` - Not known Default: UsCitizenOrLprEnum.UNKNOWN.
        a_number (None | str | Unset): Alien registration number: A and 8 or 9 digits.
        other_identifiers (list[OtherIdentifierRequest] | Unset):
        safe_contact (None | SafeContactRequest | Unset):
        location (LocationRequest | None | Unset):
        protected_1367 (bool | Unset): Has applied for or holds T, U or VAWA relief (8 U.S.C. 1367(a)(2)). Default:
            False.
        protection_basis (None | ProtectionBasisEnum | Unset): What the 1367 protection rests on (only with
            protected_1367: true).

            * `t_visa` - Applied for or holds T nonimmigrant status (8 U.S.C. 1101(a)(15)(T))
            * `u_visa` - Applied for or holds U nonimmigrant status (8 U.S.C. 1101(a)(15)(U))
            * `vawa` - VAWA self-petitioner or related relief (8 U.S.C. 1367(a)(2))
            * `continued_presence` - Continued Presence (22 U.S.C. 7105(c)(3)), protected by DHS policy
            * `other` - Other relief covered by 8 U.S.C. 1367
        protection_ends_on (datetime.date | None | Unset): When the protection ends, if known.
        disclosure_basis (DisclosureBasisRequest | None | Unset): The exception of 8 U.S.C. 1367(b) that allows
            disclosing this protected person to a receiving agency that is not `may_receive_1367_protected` (422
            `disclosure-basis-required` without it).
        is_minor (bool | Unset): Flag a minor when the date of birth is unknown (under 18 at encountered_at by date of
            birth counts anyway).
    """

    role: RoleEnum
    given_name: None | str | Unset = UNSET
    family_name: None | str | Unset = UNSET
    aliases: list[str] | Unset = UNSET
    date_of_birth: datetime.date | None | Unset = UNSET
    sex: SexEnum | Unset = SexEnum.UNKNOWN
    citizenships: list[str] | Unset = UNSET
    languages: list[str] | Unset = UNSET
    interpreter_needed: bool | Unset = False
    us_citizen_or_lpr: UsCitizenOrLprEnum | Unset = UsCitizenOrLprEnum.UNKNOWN
    a_number: None | str | Unset = UNSET
    other_identifiers: list[OtherIdentifierRequest] | Unset = UNSET
    safe_contact: None | SafeContactRequest | Unset = UNSET
    location: LocationRequest | None | Unset = UNSET
    protected_1367: bool | Unset = False
    protection_basis: None | ProtectionBasisEnum | Unset = UNSET
    protection_ends_on: datetime.date | None | Unset = UNSET
    disclosure_basis: DisclosureBasisRequest | None | Unset = UNSET
    is_minor: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.disclosure_basis_request import DisclosureBasisRequest  # noqa: PLC0415
        from ..models.location_request import LocationRequest  # noqa: PLC0415
        from ..models.safe_contact_request import SafeContactRequest  # noqa: PLC0415

        role = self.role.value

        given_name: None | str | Unset
        if isinstance(self.given_name, Unset):
            given_name = UNSET
        else:
            given_name = self.given_name

        family_name: None | str | Unset
        if isinstance(self.family_name, Unset):
            family_name = UNSET
        else:
            family_name = self.family_name

        aliases: list[str] | Unset = UNSET
        if not isinstance(self.aliases, Unset):
            aliases = self.aliases

        date_of_birth: None | str | Unset
        if isinstance(self.date_of_birth, Unset):
            date_of_birth = UNSET
        elif isinstance(self.date_of_birth, datetime.date):
            date_of_birth = self.date_of_birth.isoformat()
        else:
            date_of_birth = self.date_of_birth

        sex: str | Unset = UNSET
        if not isinstance(self.sex, Unset):
            sex = self.sex.value

        citizenships: list[str] | Unset = UNSET
        if not isinstance(self.citizenships, Unset):
            citizenships = self.citizenships

        languages: list[str] | Unset = UNSET
        if not isinstance(self.languages, Unset):
            languages = self.languages

        interpreter_needed = self.interpreter_needed

        us_citizen_or_lpr: str | Unset = UNSET
        if not isinstance(self.us_citizen_or_lpr, Unset):
            us_citizen_or_lpr = self.us_citizen_or_lpr.value

        a_number: None | str | Unset
        if isinstance(self.a_number, Unset):
            a_number = UNSET
        else:
            a_number = self.a_number

        other_identifiers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.other_identifiers, Unset):
            other_identifiers = []
            for other_identifiers_item_data in self.other_identifiers:
                other_identifiers_item = other_identifiers_item_data.to_dict()
                other_identifiers.append(other_identifiers_item)

        safe_contact: dict[str, Any] | None | Unset
        if isinstance(self.safe_contact, Unset):
            safe_contact = UNSET
        elif isinstance(self.safe_contact, SafeContactRequest):
            safe_contact = self.safe_contact.to_dict()
        else:
            safe_contact = self.safe_contact

        location: dict[str, Any] | None | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        elif isinstance(self.location, LocationRequest):
            location = self.location.to_dict()
        else:
            location = self.location

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

        disclosure_basis: dict[str, Any] | None | Unset
        if isinstance(self.disclosure_basis, Unset):
            disclosure_basis = UNSET
        elif isinstance(self.disclosure_basis, DisclosureBasisRequest):
            disclosure_basis = self.disclosure_basis.to_dict()
        else:
            disclosure_basis = self.disclosure_basis

        is_minor = self.is_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "role": role,
            }
        )
        if given_name is not UNSET:
            field_dict["given_name"] = given_name
        if family_name is not UNSET:
            field_dict["family_name"] = family_name
        if aliases is not UNSET:
            field_dict["aliases"] = aliases
        if date_of_birth is not UNSET:
            field_dict["date_of_birth"] = date_of_birth
        if sex is not UNSET:
            field_dict["sex"] = sex
        if citizenships is not UNSET:
            field_dict["citizenships"] = citizenships
        if languages is not UNSET:
            field_dict["languages"] = languages
        if interpreter_needed is not UNSET:
            field_dict["interpreter_needed"] = interpreter_needed
        if us_citizen_or_lpr is not UNSET:
            field_dict["us_citizen_or_lpr"] = us_citizen_or_lpr
        if a_number is not UNSET:
            field_dict["a_number"] = a_number
        if other_identifiers is not UNSET:
            field_dict["other_identifiers"] = other_identifiers
        if safe_contact is not UNSET:
            field_dict["safe_contact"] = safe_contact
        if location is not UNSET:
            field_dict["location"] = location
        if protected_1367 is not UNSET:
            field_dict["protected_1367"] = protected_1367
        if protection_basis is not UNSET:
            field_dict["protection_basis"] = protection_basis
        if protection_ends_on is not UNSET:
            field_dict["protection_ends_on"] = protection_ends_on
        if disclosure_basis is not UNSET:
            field_dict["disclosure_basis"] = disclosure_basis
        if is_minor is not UNSET:
            field_dict["is_minor"] = is_minor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.disclosure_basis_request import DisclosureBasisRequest  # noqa: PLC0415
        from ..models.location_request import LocationRequest  # noqa: PLC0415
        from ..models.other_identifier_request import OtherIdentifierRequest  # noqa: PLC0415
        from ..models.safe_contact_request import SafeContactRequest  # noqa: PLC0415

        d = dict(src_dict)
        role = RoleEnum(d.pop("role"))

        def _parse_given_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        given_name = _parse_given_name(d.pop("given_name", UNSET))

        def _parse_family_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        family_name = _parse_family_name(d.pop("family_name", UNSET))

        aliases = cast(list[str], d.pop("aliases", UNSET))

        def _parse_date_of_birth(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_of_birth_type_0 = datetime.date.fromisoformat(data)

                return date_of_birth_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        date_of_birth = _parse_date_of_birth(d.pop("date_of_birth", UNSET))

        _sex = d.pop("sex", UNSET)
        sex: SexEnum | Unset
        if isinstance(_sex, Unset):
            sex = UNSET
        else:
            sex = SexEnum(_sex)

        citizenships = cast(list[str], d.pop("citizenships", UNSET))

        languages = cast(list[str], d.pop("languages", UNSET))

        interpreter_needed = d.pop("interpreter_needed", UNSET)

        _us_citizen_or_lpr = d.pop("us_citizen_or_lpr", UNSET)
        us_citizen_or_lpr: UsCitizenOrLprEnum | Unset
        if isinstance(_us_citizen_or_lpr, Unset):
            us_citizen_or_lpr = UNSET
        else:
            us_citizen_or_lpr = UsCitizenOrLprEnum(_us_citizen_or_lpr)

        def _parse_a_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        a_number = _parse_a_number(d.pop("a_number", UNSET))

        _other_identifiers = d.pop("other_identifiers", UNSET)
        other_identifiers: list[OtherIdentifierRequest] | Unset = UNSET
        if _other_identifiers is not UNSET:
            other_identifiers = []
            for other_identifiers_item_data in _other_identifiers:
                other_identifiers_item = OtherIdentifierRequest.from_dict(other_identifiers_item_data)

                other_identifiers.append(other_identifiers_item)

        def _parse_safe_contact(data: object) -> None | SafeContactRequest | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                safe_contact_type_1 = SafeContactRequest.from_dict(data)

                return safe_contact_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SafeContactRequest | Unset, data)

        safe_contact = _parse_safe_contact(d.pop("safe_contact", UNSET))

        def _parse_location(data: object) -> LocationRequest | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                location_type_1 = LocationRequest.from_dict(data)

                return location_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocationRequest | None | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        protected_1367 = d.pop("protected_1367", UNSET)

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

        def _parse_disclosure_basis(data: object) -> DisclosureBasisRequest | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                disclosure_basis_type_1 = DisclosureBasisRequest.from_dict(data)

                return disclosure_basis_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DisclosureBasisRequest | None | Unset, data)

        disclosure_basis = _parse_disclosure_basis(d.pop("disclosure_basis", UNSET))

        is_minor = d.pop("is_minor", UNSET)

        person_input_request = cls(
            role=role,
            given_name=given_name,
            family_name=family_name,
            aliases=aliases,
            date_of_birth=date_of_birth,
            sex=sex,
            citizenships=citizenships,
            languages=languages,
            interpreter_needed=interpreter_needed,
            us_citizen_or_lpr=us_citizen_or_lpr,
            a_number=a_number,
            other_identifiers=other_identifiers,
            safe_contact=safe_contact,
            location=location,
            protected_1367=protected_1367,
            protection_basis=protection_basis,
            protection_ends_on=protection_ends_on,
            disclosure_basis=disclosure_basis,
            is_minor=is_minor,
        )

        person_input_request.additional_properties = d
        return person_input_request

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
