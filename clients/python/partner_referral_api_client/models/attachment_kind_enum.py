from enum import StrEnum


class AttachmentKindEnum(StrEnum):
    CORRESPONDENCE = "correspondence"
    I914_SUPPLEMENT_B = "i914_supplement_b"
    I918_SUPPLEMENT_B = "i918_supplement_b"
    IDENTITY_DOCUMENT = "identity_document"
    OTHER = "other"
    PHOTO = "photo"
    SCREENING_FORM = "screening_form"
    SUPPLEMENT_B = "supplement_b"

    def __str__(self) -> str:
        return str(self.value)
