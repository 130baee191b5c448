from enum import StrEnum


class MediaTypeEnum(StrEnum):
    APPLICATIONPDF = "application/pdf"
    IMAGEJPEG = "image/jpeg"
    IMAGEPNG = "image/png"
    TEXTPLAIN = "text/plain"

    def __str__(self) -> str:
        return str(self.value)
