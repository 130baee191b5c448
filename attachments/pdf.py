"""Refuse PDFs that carry active content (scripts, automatic actions, launches, embedded files, rich media).

The PDF structure is read with pypdf (a maintained pure-Python PDF library, already pinned for this purpose),
never with a regular expression over the bytes: names may be written with ``#xx`` escapes (``/J#61vaScript``),
and objects may sit in compressed object streams (PDF 32000-1 §7.5.7) where no byte pattern can see them.
Every object the cross-reference data lists is loaded, those inside object streams included, plus the trailer,
and every dictionary in it (at any depth) is checked for:

* the keys ``/JavaScript``, ``/JS`` (§12.6.4.16), ``/OpenAction`` (§7.7.2), ``/AA`` (additional actions,
  §12.6.3), ``/Launch``, ``/EmbeddedFile``, ``/EmbeddedFiles`` (§7.11.4), ``/RichMedia`` (ISO 32000-2
  §13.7); and
* those names as a dictionary's ``/S`` (action type), ``/Type`` or ``/Subtype``: a ``/Launch`` action, an
  ``/EmbeddedFile`` stream, a ``/RichMedia`` annotation.

Encrypted PDFs cannot be inspected and are refused too.
"""

from __future__ import annotations

from typing import BinaryIO

ACTIVE_NAMES = frozenset(
    {"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"}
)
_TYPE_KEYS = ("/S", "/Type", "/Subtype")
_MAX_DEPTH = 64
_MAX_OBJECTS = 200_000


class ActivePdf(Exception):
    """The PDF carries active content, or cannot be inspected; the message names what was found (never data)."""


def _walk(value, found: set[str], depth: int = 0) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if depth > _MAX_DEPTH or isinstance(value, IndirectObject):
        return  # indirect objects are visited on their own, from the cross-reference data
    if isinstance(value, DictionaryObject):
        for key, item in value.items():
            if key in ACTIVE_NAMES:
                found.add(str(key))
            if key in _TYPE_KEYS and not isinstance(item, IndirectObject) and str(item) in ACTIVE_NAMES:
                found.add(str(item))
            _walk(item, found, depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            _walk(item, found, depth + 1)


def pdf_active_content(stream: BinaryIO) -> list[str]:
    """Return the active-content names found in the PDF (sorted; empty when there are none).

    Raises ``ActivePdf`` when the file is encrypted or its structure cannot be read.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import IndirectObject

    stream.seek(0)
    found: set[str] = set()
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            raise ActivePdf("Encrypted PDFs cannot be checked for active content and are refused.")
        _walk(reader.trailer, found)
        numbers: set[tuple[int, int]] = set()
        for generation, objects in reader.xref.items():
            numbers.update((number, generation) for number in objects)
        numbers.update((number, 0) for number in reader.xref_objStm)
        if len(numbers) > _MAX_OBJECTS:
            raise ActivePdf("The PDF has too many objects to be checked.")
        for number, generation in sorted(numbers):
            try:
                obj = reader.get_object(IndirectObject(number, generation, reader))
            except (PdfReadError, ValueError, KeyError, TypeError, AttributeError):
                continue  # a dangling entry: nothing there to run
            _walk(obj, found)
    except ActivePdf:
        raise
    except RecursionError:
        raise ActivePdf("The PDF structure is nested too deeply to be checked.") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure: the file cannot be shown to be inert
        raise ActivePdf(f"The PDF structure could not be read ({type(exc).__name__}).") from None
    finally:
        stream.seek(0)
    return sorted(found)
