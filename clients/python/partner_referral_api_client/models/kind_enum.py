from enum import StrEnum


class KindEnum(StrEnum):
    CORRESPONDENCE = "correspondence"
    IDENTITY_DOCUMENT = "identity_document"
    OTHER = "other"
    PHOTO = "photo"
    SCREENING_FORM = "screening_form"
    SUPPLEMENT_B = "supplement_b"

    def __str__(self) -> str:
        return str(self.value)
