from __future__ import annotations

import datetime
from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.attachment_kind_enum import AttachmentKindEnum
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="AttachmentUploadRequest")


@_attrs_define
class AttachmentUploadRequest:
    """
    Attributes:
        file (File): The document. Its type is decided by its content: PDF, PNG, JPEG or plain UTF-8 text.
        kind (AttachmentKindEnum): * `i914_supplement_b` - Form I-914 Supplement B (T visa declaration)
            * `i918_supplement_b` - Form I-918 Supplement B (U visa certification)
            * `supplement_b` - Supplement B (deprecated: use i914_supplement_b or i918_supplement_b)
            * `screening_form` - Screening form
            * `identity_document` - Identity document
            * `photo` - Photo
            * `correspondence` - Correspondence
            * `other` - Other
        description (str | Unset):  Default: ''.
        signed_on (datetime.date | Unset): Date the Supplement B was signed (not in the future): required for
            `i914_supplement_b` and `i918_supplement_b`, refused for other kinds. An I-918 Supplement B is usable for six
            months after it (8 C.F.R. 214.14(c)(2)(i)); an older one is still accepted as a record.
    """

    file: File
    kind: AttachmentKindEnum
    description: str | Unset = ""
    signed_on: datetime.date | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        kind = self.kind.value

        description = self.description

        signed_on: str | Unset = UNSET
        if not isinstance(self.signed_on, Unset):
            signed_on = self.signed_on.isoformat()

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
        if signed_on is not UNSET:
            field_dict["signed_on"] = signed_on

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        files.append(("kind", (None, str(self.kind.value).encode(), "text/plain")))

        if not isinstance(self.description, Unset):
            files.append(("description", (None, str(self.description).encode(), "text/plain")))

        if not isinstance(self.signed_on, Unset):
            files.append(("signed_on", (None, self.signed_on.isoformat().encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        kind = AttachmentKindEnum(d.pop("kind"))

        description = d.pop("description", UNSET)

        _signed_on = d.pop("signed_on", UNSET)
        signed_on: datetime.date | Unset
        if isinstance(_signed_on, Unset):
            signed_on = UNSET
        else:
            signed_on = datetime.date.fromisoformat(_signed_on)

        attachment_upload_request = cls(
            file=file,
            kind=kind,
            description=description,
            signed_on=signed_on,
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
