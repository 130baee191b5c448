from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attachment_kind_enum import AttachmentKindEnum
from ..models.media_type_enum import MediaTypeEnum
from ..models.scan_status_enum import ScanStatusEnum

if TYPE_CHECKING:
    from ..models.attachment_uploader import AttachmentUploader


T = TypeVar("T", bound="Attachment")


@_attrs_define
class Attachment:
    """
    Attributes:
        id (UUID):
        kind (AttachmentKindEnum): * `i914_supplement_b` - Form I-914 Supplement B (T visa declaration)
            * `i918_supplement_b` - Form I-918 Supplement B (U visa certification)
            * `supplement_b` - Supplement B (deprecated: use i914_supplement_b or i918_supplement_b)
            * `screening_form` - Screening form
            * `identity_document` - Identity document
            * `photo` - Photo
            * `correspondence` - Correspondence
            * `other` - Other
        description (None | str): Free text from the uploader; `null` (masked) without `pii:read`, and for the receiver
            after a recall.
        media_type (MediaTypeEnum): * `application/pdf` - PDF
            * `image/png` - PNG
            * `image/jpeg` - JPEG
            * `text/plain` - Plain UTF-8 text
        size (int): Bytes, as stored (images without their metadata).
        sha256 (str): SHA-256 (hex) of the content as stored and served.
        uploaded_by (AttachmentUploader):
        created_at (datetime.datetime):
        file_name (None | str): The uploader's file name without any path, for display only; never used to store the
            file. `null` (masked) without `pii:read` (names and descriptions often carry a person's name), and for the
            receiver after a recall.
        masked (bool): `true` when `file_name` and `description` are withheld (no `pii:read`, or recalled).
        signed_on (datetime.date | None): Signature date of a Supplement B.
        usable_until (datetime.date | None): I-918 Supplement B only: the last day it can be filed (signed_on + 6
            months, 8 C.F.R. 214.14(c)(2)(i)); it may be in the past.
        scan_status (ScanStatusEnum): * `clean` - No threat found; the content can be downloaded
            * `infected` - Flagged as malicious; the content was discarded and is never served
    """

    id: UUID
    kind: AttachmentKindEnum
    description: None | str
    media_type: MediaTypeEnum
    size: int
    sha256: str
    uploaded_by: AttachmentUploader
    created_at: datetime.datetime
    file_name: None | str
    masked: bool
    signed_on: datetime.date | None
    usable_until: datetime.date | None
    scan_status: ScanStatusEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        kind = self.kind.value

        description: None | str
        description = self.description

        media_type = self.media_type.value

        size = self.size

        sha256 = self.sha256

        uploaded_by = self.uploaded_by.to_dict()

        created_at = self.created_at.isoformat()

        file_name: None | str
        file_name = self.file_name

        masked = self.masked

        signed_on: None | str
        if isinstance(self.signed_on, datetime.date):
            signed_on = self.signed_on.isoformat()
        else:
            signed_on = self.signed_on

        usable_until: None | str
        if isinstance(self.usable_until, datetime.date):
            usable_until = self.usable_until.isoformat()
        else:
            usable_until = self.usable_until

        scan_status = self.scan_status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "description": description,
                "media_type": media_type,
                "size": size,
                "sha256": sha256,
                "uploaded_by": uploaded_by,
                "created_at": created_at,
                "file_name": file_name,
                "masked": masked,
                "signed_on": signed_on,
                "usable_until": usable_until,
                "scan_status": scan_status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attachment_uploader import AttachmentUploader  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        kind = AttachmentKindEnum(d.pop("kind"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        media_type = MediaTypeEnum(d.pop("media_type"))

        size = d.pop("size")

        sha256 = d.pop("sha256")

        uploaded_by = AttachmentUploader.from_dict(d.pop("uploaded_by"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_file_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        file_name = _parse_file_name(d.pop("file_name"))

        masked = d.pop("masked")

        def _parse_signed_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signed_on_type_0 = datetime.date.fromisoformat(data)

                return signed_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        signed_on = _parse_signed_on(d.pop("signed_on"))

        def _parse_usable_until(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                usable_until_type_0 = datetime.date.fromisoformat(data)

                return usable_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        usable_until = _parse_usable_until(d.pop("usable_until"))

        scan_status = ScanStatusEnum(d.pop("scan_status"))

        attachment = cls(
            id=id,
            kind=kind,
            description=description,
            media_type=media_type,
            size=size,
            sha256=sha256,
            uploaded_by=uploaded_by,
            created_at=created_at,
            file_name=file_name,
            masked=masked,
            signed_on=signed_on,
            usable_until=usable_until,
            scan_status=scan_status,
        )

        attachment.additional_properties = d
        return attachment

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
