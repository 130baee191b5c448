"""Published codes: the values a caller picks from a list we publish, which error messages may name.

Error bodies never quote free text a caller sent (a name in the wrong field must not reach a log), but they do
name the codes a caller chose from a published list, so that ``"USCIS does not receive victim_assistance
referrals"`` says what went wrong (api-contract v1.1, *Conventions (changed)*). The published codes are every
choice of every model field (``TextChoices`` such as referral types, priorities, roles, statuses) and whatever
an app registers here for code lists that live as rows (agency and office codes) or as plain tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_providers: list[Callable[[], Iterable[str]]] = []


def register(provider: Callable[[], Iterable[str]]) -> None:
    """Add a source of published codes (called from an app's ``ready()``); it is read when an error is built."""
    _providers.append(provider)


def _choices() -> set[str]:
    from django.apps import apps

    found: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for candidate in (field, getattr(field, "base_field", None)):  # ArrayField's items too
                for value, _label in getattr(candidate, "flatchoices", None) or ():
                    if isinstance(value, str):
                        found.add(value)
    return found


_model_choices: set[str] | None = None


def published_codes() -> set[str]:
    """Every published code: model field choices (computed once) and the registered providers (read each time)."""
    global _model_choices
    if _model_choices is None:
        _model_choices = _choices()
    codes = set(_model_choices)
    for provider in _providers:
        codes.update(str(code) for code in provider())
    return codes
