"""The one check of a list's query string: every parameter known, none repeated (api-contract.md, Conventions).

Every list calls it (``KeysetPagination`` does so for the lists it pages), so an unknown or misspelt filter is a
400 naming it, never silently ignored and answered with the unfiltered list.
"""

from __future__ import annotations

from collections.abc import Iterable

from rest_framework.exceptions import ValidationError

PAGING = frozenset({"cursor", "page_size"})


def check_query(params, allowed: Iterable[str]) -> None:
    """Raise a 400 naming each parameter of ``params`` (a QueryDict) not in ``allowed``, or given more than once."""
    allowed = set(allowed)
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise ValidationError({name: ["Unknown query parameter."] for name in unknown})
    repeated = sorted(name for name in params if len(params.getlist(name)) > 1)
    if repeated:
        raise ValidationError({name: ["Give this parameter once."] for name in repeated})
