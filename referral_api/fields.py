"""Serializer fields shared by every app's API."""

from __future__ import annotations

from rest_framework import serializers


class ChoiceField(serializers.ChoiceField):
    """A choice from a published list whose refusal names the allowed values (never the value sent).

    DRF's own message quotes the input (``"x" is not a valid choice.``), which the problem handler must then
    withhold, leaving the caller with "not one of the allowed values" and no list (api-contract v1.1,
    *Conventions (changed)*: name the allowed values of a choice).
    """

    default_error_messages = {"invalid_choice": "Must be one of: {allowed}."}

    def fail(self, key, **kwargs):
        if key == "invalid_choice":
            kwargs = {"allowed": ", ".join(str(choice) for choice in self.choices)}
        super().fail(key, **kwargs)
