from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role_enum import RoleEnum
from ..models.sex_enum import SexEnum

if TYPE_CHECKING:
    from ..models.location import Location
    from ..models.other_identifier import OtherIdentifier
    from ..models.safe_contact import SafeContact


T = TypeVar("T", bound="Person")


@_attrs_define
class Person:
    """A person; without ``pii:read`` the identifying fields are null and ``masked`` is true.

    Attributes:
        id (UUID):
        role (RoleEnum): * `victim` - Victim
            * `potential_victim` - Potential victim
            * `suspect` - Suspected trafficker
            * `witness` - Witness
        masked (bool):
        given_name (None | str):
        family_name (None | str):
        aliases (list[str] | None):
        date_of_birth (datetime.date | None):
        sex (SexEnum): * `female` - Female
            * `male` - Male
            * `x` - X
            * `unknown` - Unknown
        citizenships (list[str]):
        languages (list[str]):
        a_number (None | str):
        other_identifiers (list[OtherIdentifier] | None):
        safe_contact (None | SafeContact):
        location (Location | None):
        protected_1367 (bool):
        is_minor (bool):
    """

    id: UUID
    role: RoleEnum
    masked: bool
    given_name: None | str
    family_name: None | str
    aliases: list[str] | None
    date_of_birth: datetime.date | None
    sex: SexEnum
    citizenships: list[str]
    languages: list[str]
    a_number: None | str
    other_identifiers: list[OtherIdentifier] | None
    safe_contact: None | SafeContact
    location: Location | None
    protected_1367: bool
    is_minor: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.location import Location  # noqa: PLC0415
        from ..models.safe_contact import SafeContact  # noqa: PLC0415

        id = str(self.id)

        role = self.role.value

        masked = self.masked

        given_name: None | str
        given_name = self.given_name

        family_name: None | str
        family_name = self.family_name

        aliases: list[str] | None
        if isinstance(self.aliases, list):
            aliases = self.aliases

        else:
            aliases = self.aliases

        date_of_birth: None | str
        if isinstance(self.date_of_birth, datetime.date):
            date_of_birth = self.date_of_birth.isoformat()
        else:
            date_of_birth = self.date_of_birth

        sex = self.sex.value

        citizenships = self.citizenships

        languages = self.languages

        a_number: None | str
        a_number = self.a_number

        other_identifiers: list[dict[str, Any]] | None
        if isinstance(self.other_identifiers, list):
            other_identifiers = []
            for other_identifiers_type_0_item_data in self.other_identifiers:
                other_identifiers_type_0_item = other_identifiers_type_0_item_data.to_dict()
                other_identifiers.append(other_identifiers_type_0_item)

        else:
            other_identifiers = self.other_identifiers

        safe_contact: dict[str, Any] | None
        if isinstance(self.safe_contact, SafeContact):
            safe_contact = self.safe_contact.to_dict()
        else:
            safe_contact = self.safe_contact

        location: dict[str, Any] | None
        if isinstance(self.location, Location):
            location = self.location.to_dict()
        else:
            location = self.location

        protected_1367 = self.protected_1367

        is_minor = self.is_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "role": role,
                "masked": masked,
                "given_name": given_name,
                "family_name": family_name,
                "aliases": aliases,
                "date_of_birth": date_of_birth,
                "sex": sex,
                "citizenships": citizenships,
                "languages": languages,
                "a_number": a_number,
                "other_identifiers": other_identifiers,
                "safe_contact": safe_contact,
                "location": location,
                "protected_1367": protected_1367,
                "is_minor": is_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.location import Location  # noqa: PLC0415
        from ..models.other_identifier import OtherIdentifier  # noqa: PLC0415
        from ..models.safe_contact import SafeContact  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        role = RoleEnum(d.pop("role"))

        masked = d.pop("masked")

        def _parse_given_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        given_name = _parse_given_name(d.pop("given_name"))

        def _parse_family_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        family_name = _parse_family_name(d.pop("family_name"))

        def _parse_aliases(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                aliases_type_0 = cast(list[str], data)

                return aliases_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        aliases = _parse_aliases(d.pop("aliases"))

        def _parse_date_of_birth(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_of_birth_type_0 = datetime.date.fromisoformat(data)

                return date_of_birth_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        date_of_birth = _parse_date_of_birth(d.pop("date_of_birth"))

        sex = SexEnum(d.pop("sex"))

        citizenships = cast(list[str], d.pop("citizenships"))

        languages = cast(list[str], d.pop("languages"))

        def _parse_a_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        a_number = _parse_a_number(d.pop("a_number"))

        def _parse_other_identifiers(data: object) -> list[OtherIdentifier] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                other_identifiers_type_0 = []
                _other_identifiers_type_0 = data
                for other_identifiers_type_0_item_data in _other_identifiers_type_0:
                    other_identifiers_type_0_item = OtherIdentifier.from_dict(other_identifiers_type_0_item_data)

                    other_identifiers_type_0.append(other_identifiers_type_0_item)

                return other_identifiers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[OtherIdentifier] | None, data)

        other_identifiers = _parse_other_identifiers(d.pop("other_identifiers"))

        def _parse_safe_contact(data: object) -> None | SafeContact:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                safe_contact_type_1 = SafeContact.from_dict(data)

                return safe_contact_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SafeContact, data)

        safe_contact = _parse_safe_contact(d.pop("safe_contact"))

        def _parse_location(data: object) -> Location | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                location_type_1 = Location.from_dict(data)

                return location_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Location | None, data)

        location = _parse_location(d.pop("location"))

        protected_1367 = d.pop("protected_1367")

        is_minor = d.pop("is_minor")

        person = cls(
            id=id,
            role=role,
            masked=masked,
            given_name=given_name,
            family_name=family_name,
            aliases=aliases,
            date_of_birth=date_of_birth,
            sex=sex,
            citizenships=citizenships,
            languages=languages,
            a_number=a_number,
            other_identifiers=other_identifiers,
            safe_contact=safe_contact,
            location=location,
            protected_1367=protected_1367,
            is_minor=is_minor,
        )

        person.additional_properties = d
        return person

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
