"""Token-endpoint errors that say what to do (RFC 6749 §5.2).

The OAuth library answers with the bare error code (``{"error": "invalid_client"}``) and, for a failed client
authentication, a ``Bearer`` challenge. ``explain()`` adds an ``error_description`` for each code (only when the
library gave none: it never repeats caller input) and answers a client that authenticated with HTTP Basic with a
``Basic`` challenge, as §5.2 requires ("matching the authentication scheme used by the client"); so does a
client that sent its credentials in the form, since Basic is the one HTTP scheme this endpoint takes. A body sent as
JSON gets the one hint that helps: the token request is form-encoded (§4.4.2, Appendix B).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

DESCRIPTIONS = {
    "invalid_request": "The request is missing a parameter, repeats one, or is malformed. Send "
    "grant_type=client_credentials as application/x-www-form-urlencoded.",
    "invalid_client": "Client authentication failed: unknown client, wrong secret or assertion, or an inactive "
    "client or agency.",
    "invalid_grant": "The grant is invalid.",
    "unauthorized_client": "This client may not use this grant type.",
    "unsupported_grant_type": "Only grant_type=client_credentials is supported (RFC 6749 section 4.4).",
    "invalid_scope": "A requested scope is unknown or not allowed for this client. Omit scope to get all of the "
    "client's allowed scopes.",
}
FORM_ENCODED_HINT = (
    "The token request is a form: send Content-Type: application/x-www-form-urlencoded with "
    "grant_type=client_credentials (RFC 6749 section 4.4.2), not JSON."
)
REALM = 'realm="Partner Referral API"'


def explain(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Add ``error_description`` and the right ``WWW-Authenticate`` scheme to a token-endpoint error answer."""
    if response.status_code < 400 or not response.get("Content-Type", "").startswith("application/json"):
        return response
    try:
        body = json.loads(response.content)
    except ValueError:
        return response
    error = body.get("error") if isinstance(body, dict) else None
    if error not in DESCRIPTIONS:
        return response
    if request.content_type == "application/json":
        body["error_description"] = FORM_ENCODED_HINT
    else:
        body.setdefault("error_description", DESCRIPTIONS[error])
    response.content = json.dumps(body).encode()
    response["Content-Length"] = str(len(response.content))
    if response.status_code == 401:
        # The one HTTP authentication scheme this endpoint takes is Basic (client_secret_basic); a client that
        # sent its credentials or an assertion in the form gets the same challenge (never Bearer, an API scheme).
        response["WWW-Authenticate"] = f'Basic {REALM}, charset="UTF-8"'
    return response
