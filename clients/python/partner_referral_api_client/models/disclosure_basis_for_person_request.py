from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.disclosure_basis_for_person_request_disclosure_basis import (
        DisclosureBasisForPersonRequestDisclosureBasis,
    )


T = TypeVar("T", bound="DisclosureBasisForPersonRequest")


@_attrs_define
class DisclosureBasisForPersonRequest:
    """Refuses unknown fields and fields the server owns, naming each (api-contract.md, Conventions).

    Attributes:
        person_id (UUID): One of `person_ids`.
        disclosure_basis (DisclosureBasisForPersonRequestDisclosureBasis): The 8 U.S.C. 1367(b) basis for disclosing
            this person.
    """

    person_id: UUID
    disclosure_basis: DisclosureBasisForPersonRequestDisclosureBasis
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        person_id = str(self.person_id)

        disclosure_basis = self.disclosure_basis.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "person_id": person_id,
                "disclosure_basis": disclosure_basis,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.disclosure_basis_for_person_request_disclosure_basis import (
            DisclosureBasisForPersonRequestDisclosureBasis,  # noqa: PLC0415
        )

        d = dict(src_dict)
        person_id = UUID(d.pop("person_id"))

        disclosure_basis = DisclosureBasisForPersonRequestDisclosureBasis.from_dict(d.pop("disclosure_basis"))

        disclosure_basis_for_person_request = cls(
            person_id=person_id,
            disclosure_basis=disclosure_basis,
        )

        disclosure_basis_for_person_request.additional_properties = d
        return disclosure_basis_for_person_request

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
