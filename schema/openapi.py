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
