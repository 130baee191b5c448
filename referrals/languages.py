"""Language tags: BCP 47 (RFC 5646), validated and canonicalised by ``langcodes``.

``langcodes`` (maintained, used by spaCy and Wiktionary tooling) carries the IANA Language Subtag Registry, so
Mayan languages that many Guatemalan minors speak (``mam`` Mam, ``quc`` K'iche', ``kek`` Q'eqchi', ``ixl``
Ixil) are valid like any ISO 639-1 code, and no hand-kept list goes stale. Tags are stored in canonical form
(RFC 5646 §4.5: ``EN`` → ``en``, ``iw`` → ``he``, ``zh-hant`` → ``zh-Hant``), so every ISO 639-1 code stored
before stays valid and unchanged.
"""

from __future__ import annotations

import re

import langcodes
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

# RFC 5646 §4.4.1: implementations should support tags of at least 35 characters; longer ones are refused.
MAX_TAG_LENGTH = 35
# RFC 5646 §2.1: subtags of ASCII letters and digits joined by "-" (langcodes would also take "en_US").
_TAG_CHARACTERS = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")


def canonical_language_tag(value: str) -> str | None:
    """The canonical form of a valid BCP 47 tag, or ``None`` when ``value`` is not one."""
    if not value or len(value) > MAX_TAG_LENGTH or not _TAG_CHARACTERS.match(value):
        return None
    if not langcodes.tag_is_valid(value):
        return None
    try:
        return langcodes.standardize_tag(value)
    except (ValueError, LookupError):
        return None


class LanguageTag(serializers.CharField):
    """A BCP 47 language tag (``es``, ``mam``, ``zh-Hant``), returned in canonical form."""

    def __init__(self, **kwargs):
        super().__init__(min_length=1, max_length=MAX_TAG_LENGTH, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        canonical = canonical_language_tag(value)
        if canonical is None:
            raise ValidationError(
                "Not a BCP 47 language tag (RFC 5646), e.g. es, mam, quc, zh-Hant.", code="invalid_language"
            )
        return canonical
