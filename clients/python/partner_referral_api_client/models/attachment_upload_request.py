from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.kind_enum import KindEnum
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="AttachmentUploadRequest")


@_attrs_define
class AttachmentUploadRequest:
    """
    Attributes:
        file (File): The document. Its type is decided by its content: PDF, PNG, JPEG or plain UTF-8 text.
        kind (KindEnum): * `supplement_b` - Form I-914 Supplement B
            * `screening_form` - Screening form
            * `identity_document` - Identity document
            * `photo` - Photo
            * `correspondence` - Correspondence
            * `other` - Other
        description (str | Unset):  Default: ''.
    """

    file: File
    kind: KindEnum
    description: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        kind = self.kind.value

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
                "kind": kind,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        files.append(("kind", (None, str(self.kind.value).encode(), "text/plain")))

        if not isinstance(self.description, Unset):
            files.append(("description", (None, str(self.description).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        kind = KindEnum(d.pop("kind"))

        description = d.pop("description", UNSET)

        attachment_upload_request = cls(
            file=file,
            kind=kind,
            description=description,
        )

        attachment_upload_request.additional_properties = d
        return attachment_upload_request

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
