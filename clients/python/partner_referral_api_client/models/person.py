from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.protection_basis_enum import ProtectionBasisEnum
from ..models.role_enum import RoleEnum
from ..models.sex_enum import SexEnum
from ..models.us_citizen_or_lpr_enum import UsCitizenOrLprEnum
from ..models.withheld_enum import WithheldEnum

if TYPE_CHECKING:
    from ..models.disclosure_basis_output import DisclosureBasisOutput
    from ..models.location import Location
    from ..models.other_identifier import OtherIdentifier
    from ..models.safe_contact import SafeContact


T = TypeVar("T", bound="Person")


@_attrs_define
class Person:
    """A person. Without ``pii:read`` the identifying fields are null and ``masked`` is true; ``withheld`` says
    why a person is masked even with ``pii:read`` (``1367``: 8 U.S.C. 1367(a)(2); ``recall``: sent in error).

        Attributes:
            id (UUID):
            role (RoleEnum): * `victim` - Victim
                * `potential_victim` - Potential victim
                * `suspect` - Suspected trafficker
                * `witness` - Witness
            masked (bool):
            withheld (None | WithheldEnum):
            given_name (None | str):
            family_name (None | str):
            aliases (list[str] | None):
            date_of_birth (datetime.date | None):
            sex (None | SexEnum):
            citizenships (list[str] | None):
            languages (list[str] | None):
            interpreter_needed (bool | None):
            us_citizen_or_lpr (None | UsCitizenOrLprEnum):
            a_number (None | str):
            other_identifiers (list[OtherIdentifier] | None):
            safe_contact (None | SafeContact):
            location (Location | None):
            protected_1367 (bool | None):
            protection_basis (None | ProtectionBasisEnum):
            protection_ends_on (datetime.date | None):
            disclosure_basis (DisclosureBasisOutput | None): Shown to both parties.
            is_minor (bool | None):
    """

    id: UUID
    role: RoleEnum
    masked: bool
    withheld: None | WithheldEnum
    given_name: None | str
    family_name: None | str
    aliases: list[str] | None
    date_of_birth: datetime.date | None
    sex: None | SexEnum
    citizenships: list[str] | None
    languages: list[str] | None
    interpreter_needed: bool | None
    us_citizen_or_lpr: None | UsCitizenOrLprEnum
    a_number: None | str
    other_identifiers: list[OtherIdentifier] | None
    safe_contact: None | SafeContact
    location: Location | None
    protected_1367: bool | None
    protection_basis: None | ProtectionBasisEnum
    protection_ends_on: datetime.date | None
    disclosure_basis: DisclosureBasisOutput | None
    is_minor: bool | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.disclosure_basis_output import DisclosureBasisOutput  # noqa: PLC0415
        from ..models.location import Location  # noqa: PLC0415
        from ..models.safe_contact import SafeContact  # noqa: PLC0415

        id = str(self.id)

        role = self.role.value

        masked = self.masked

        withheld: None | str
        if isinstance(self.withheld, WithheldEnum):
            withheld = self.withheld.value
        else:
            withheld = self.withheld

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

        sex: None | str
        if isinstance(self.sex, SexEnum):
            sex = self.sex.value
        else:
            sex = self.sex

        citizenships: list[str] | None
        if isinstance(self.citizenships, list):
            citizenships = self.citizenships

        else:
            citizenships = self.citizenships

        languages: list[str] | None
        if isinstance(self.languages, list):
            languages = self.languages

        else:
            languages = self.languages

        interpreter_needed: bool | None
        interpreter_needed = self.interpreter_needed

        us_citizen_or_lpr: None | str
        if isinstance(self.us_citizen_or_lpr, UsCitizenOrLprEnum):
            us_citizen_or_lpr = self.us_citizen_or_lpr.value
        else:
            us_citizen_or_lpr = self.us_citizen_or_lpr

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

        protected_1367: bool | None
        protected_1367 = self.protected_1367

        protection_basis: None | str
        if isinstance(self.protection_basis, ProtectionBasisEnum):
            protection_basis = self.protection_basis.value
        else:
            protection_basis = self.protection_basis

        protection_ends_on: None | str
        if isinstance(self.protection_ends_on, datetime.date):
            protection_ends_on = self.protection_ends_on.isoformat()
        else:
            protection_ends_on = self.protection_ends_on

        disclosure_basis: dict[str, Any] | None
        if isinstance(self.disclosure_basis, DisclosureBasisOutput):
            disclosure_basis = self.disclosure_basis.to_dict()
        else:
            disclosure_basis = self.disclosure_basis

        is_minor: bool | None
        is_minor = self.is_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "role": role,
                "masked": masked,
                "withheld": withheld,
                "given_name": given_name,
                "family_name": family_name,
                "aliases": aliases,
                "date_of_birth": date_of_birth,
                "sex": sex,
                "citizenships": citizenships,
                "languages": languages,
                "interpreter_needed": interpreter_needed,
                "us_citizen_or_lpr": us_citizen_or_lpr,
                "a_number": a_number,
                "other_identifiers": other_identifiers,
                "safe_contact": safe_contact,
                "location": location,
                "protected_1367": protected_1367,
                "protection_basis": protection_basis,
                "protection_ends_on": protection_ends_on,
                "disclosure_basis": disclosure_basis,
                "is_minor": is_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.disclosure_basis_output import DisclosureBasisOutput  # noqa: PLC0415
        from ..models.location import Location  # noqa: PLC0415
        from ..models.other_identifier import OtherIdentifier  # noqa: PLC0415
        from ..models.safe_contact import SafeContact  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        role = RoleEnum(d.pop("role"))

        masked = d.pop("masked")

        def _parse_withheld(data: object) -> None | WithheldEnum:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                withheld_type_0 = WithheldEnum(data)

                return withheld_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | WithheldEnum, data)

        withheld = _parse_withheld(d.pop("withheld"))

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

        def _parse_sex(data: object) -> None | SexEnum:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sex_type_0 = SexEnum(data)

                return sex_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SexEnum, data)

        sex = _parse_sex(d.pop("sex"))

        def _parse_citizenships(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                citizenships_type_0 = cast(list[str], data)

                return citizenships_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        citizenships = _parse_citizenships(d.pop("citizenships"))

        def _parse_languages(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                languages_type_0 = cast(list[str], data)

                return languages_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        languages = _parse_languages(d.pop("languages"))

        def _parse_interpreter_needed(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        interpreter_needed = _parse_interpreter_needed(d.pop("interpreter_needed"))

        def _parse_us_citizen_or_lpr(data: object) -> None | UsCitizenOrLprEnum:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                us_citizen_or_lpr_type_0 = UsCitizenOrLprEnum(data)

                return us_citizen_or_lpr_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UsCitizenOrLprEnum, data)

        us_citizen_or_lpr = _parse_us_citizen_or_lpr(d.pop("us_citizen_or_lpr"))

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

        def _parse_protected_1367(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        protected_1367 = _parse_protected_1367(d.pop("protected_1367"))

        def _parse_protection_basis(data: object) -> None | ProtectionBasisEnum:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                protection_basis_type_0 = ProtectionBasisEnum(data)

                return protection_basis_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProtectionBasisEnum, data)

        protection_basis = _parse_protection_basis(d.pop("protection_basis"))

        def _parse_protection_ends_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                protection_ends_on_type_0 = datetime.date.fromisoformat(data)

                return protection_ends_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        protection_ends_on = _parse_protection_ends_on(d.pop("protection_ends_on"))

        def _parse_disclosure_basis(data: object) -> DisclosureBasisOutput | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                disclosure_basis_type_1 = DisclosureBasisOutput.from_dict(data)

                return disclosure_basis_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DisclosureBasisOutput | None, data)

        disclosure_basis = _parse_disclosure_basis(d.pop("disclosure_basis"))

        def _parse_is_minor(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        is_minor = _parse_is_minor(d.pop("is_minor"))

        person = cls(
            id=id,
            role=role,
            masked=masked,
            withheld=withheld,
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
