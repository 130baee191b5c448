from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.information_source_enum import InformationSourceEnum

if TYPE_CHECKING:
    from ..models.note_author import NoteAuthor


T = TypeVar("T", bound="Note")


@_attrs_define
class Note:
    """
    Attributes:
        id (UUID):
        author (NoteAuthor): {agency, client_name}
        body (None | str): null for the receiver after a recall.
        information_source (InformationSourceEnum): * `victim` - The victim
            * `law_enforcement` - Law enforcement
            * `third_party` - A third party
            * `suspected_perpetrator` - The suspected trafficker or abuser
            * `other` - Other
        created_at (datetime.datetime):
    """

    id: UUID
    author: NoteAuthor
    body: None | str
    information_source: InformationSourceEnum
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        author = self.author.to_dict()

        body: None | str
        body = self.body

        information_source = self.information_source.value

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "author": author,
                "body": body,
                "information_source": information_source,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.note_author import NoteAuthor  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        author = NoteAuthor.from_dict(d.pop("author"))

        def _parse_body(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        body = _parse_body(d.pop("body"))

        information_source = InformationSourceEnum(d.pop("information_source"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        note = cls(
            id=id,
            author=author,
            body=body,
            information_source=information_source,
            created_at=created_at,
        )

        note.additional_properties = d
        return note

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
