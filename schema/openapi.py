"""The project's AutoSchema: problem responses on every operation, scopes in each description."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

from referral_api.permissions import required_scopes


class AutoSchema(BaseAutoSchema):
    def get_description(self):
        description = super().get_description() or ""
        scopes = required_scopes(self.view, self.method)
        if scopes:
            note = "Scopes: " + ", ".join(f"`{s}`" for s in scopes) + "."
        elif scopes == []:
            note = "Any valid access token."
        else:
            note = ""
        return (description + "\n\n" + note).strip()

    def _get_paginator(self):
        # The API's list views are plain APIViews that page with KeysetPagination themselves, so drf-spectacular
        # cannot see a ``pagination_class``; without this their 200 answer would be documented as a bare array
        # instead of ``{"results", "next", "previous"}``.
        paginator = super()._get_paginator()
        if paginator is None and self.method == "GET":
            from referral_api.pagination import KeysetPagination

            return KeysetPagination()
        return paginator
