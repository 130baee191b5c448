"""Schema pre/post-processing hooks."""

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "Ends in the problem's slug."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "nullable": True},
        "request_id": {"type": "string", "nullable": True},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {"type": "string", "nullable": True, "example": "persons[0].date_of_birth"},
                    "code": {"type": "string", "example": "invalid"},
                    "message": {"type": "string"},
                },
            },
        },
        "allowed_actions": {"type": "array", "items": {"type": "string"}},
        "required_scopes": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": True,
}

# status -> description; added to every operation unless it documents the status itself.
COMMON = {
    "400": "Invalid input (`validation-error`), naming each bad field in `errors`.",
    "401": "No token (`not-authenticated`) or a bad one (`invalid-token`); see `WWW-Authenticate`.",
    "403": "The token lacks a scope (`insufficient-scope`) or the caller may not do this (`permission-denied`).",
    "406": "The `Accept` header asks for a format the API cannot produce (`not-acceptable`).",
    "429": "Rate limit exceeded (`rate-limited`); see `Retry-After`.",
    "500": "Unexpected error (`server-error`); no details are disclosed.",
    "503": "A backing service is unavailable (`service-unavailable`); see `Retry-After`.",
}


def only_api_routes(endpoints):
    """Document the partner API only (``/api/v1/``), not the docs, admin or probes."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]


GONE = (
    "The referral was disposed of under its retention policy (`gone`): only its tombstone remains. Only its "
    "parties get 410; to anyone else it is a 404, like any referral they are not a party to."
)


def add_problem_responses(result, generator, request, public):
    """Give every operation the common problem responses, all as ``application/problem+json``."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, path_item in result.get("paths", {}).items():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            if path.startswith("/api/v1/referrals/{id}/"):
                responses.setdefault("410", {"description": GONE})
            for status, description in COMMON.items():
                if status == "400" and method == "get" and not operation.get("parameters"):
                    continue
                responses.setdefault(status, {"description": description})
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    response.setdefault("description", COMMON.get(status, "Problem."))
                    response["content"] = {"application/problem+json": {"schema": ref}}
    return result


def add_code_lists(result, generator, request, public):
    """Append the published code lists and the lifecycle table to the API description (one source of truth)."""
    from agencies.models import ReferralType
    from referral_api.deprecation import deprecations_markdown
    from referrals.codes import INDICATORS, OutcomeCode, RejectReason
    from referrals.lifecycle import lifecycle_markdown

    def table(rows):
        return "\n".join(["| code | meaning |", "| --- | --- |", *[f"| `{code}` | {label} |" for code, label in rows]])

    sections = [
        "## Lifecycle\n\nS = the sending agency, R = the receiving agency. Terminal: `rejected`, `completed`, "
        "`withdrawn` (never reopened; a follow-up is a new referral naming the earlier one in "
        "`related_referral`).\n\n" + lifecycle_markdown(),
        "## Code lists\n\n### `referral_type`\n\n" + table(ReferralType.choices),
        "### `indicators`\n\nIndicators of human trafficking (after the DHS Blue Campaign and the State "
        "Department's indicator lists).\n\n" + table(sorted(INDICATORS.items())),
        "### `reason_code` (reject)\n\n" + table(RejectReason.choices),
        "### `outcome_code` (complete)\n\n" + table(OutcomeCode.choices),
        "## Deprecations\n\nA request that uses a deprecated field, value or operation is still answered, with "
        "`Deprecation: @<epoch seconds>` (RFC 9745), `Sunset: <HTTP-date>` (RFC 8594) once a sunset date is "
        'set, and `Link: <this section>; rel="deprecation"`. From the sunset on it is refused with 422 '
        "`validation-error`, code `sunset`, naming the field.\n\n" + deprecations_markdown(),
    ]
    result["info"]["description"] = result["info"].get("description", "").rstrip() + "\n\n" + "\n\n".join(sections)
    return result


GUIDE_INTRO = (
    "\n\nThe guide is in the first sections of [the reference](/api/redoc/): getting started, conventions, "
    "the lifecycle, the code lists and deprecations. The operations follow."
)


def guide_sections_as_tags(result, generator, request, public):
    """Move each ``## `` section of the API description into a guide tag, so the docs open on the operations.

    Swagger UI prints ``info.description`` above the first operation (it was about 3,000 px tall) and lists tags
    in their order, so the guide tags come last; Redoc shows tags marked ``x-traitTag`` as sections of their own,
    in the order of ``x-tagGroups`` (the guide first). The text
    is unchanged, only where it is shown: the intro stays in ``info.description``. Anchors become
    ``/api/redoc/#tag/<Section-name>``.
    """
    intro, *sections = result["info"].get("description", "").split("\n## ")
    api_tags = result.get("tags", [])
    taken = {tag["name"].lower() for tag in api_tags}
    guide = []
    for section in sections:
        title, _, body = section.partition("\n")
        title = title.strip() + (" table" if title.strip().lower() in taken else "")  # "Lifecycle" vs "lifecycle"
        guide.append({"name": title, "description": body.strip(), "x-traitTag": True})
    result["info"]["description"] = intro.rstrip() + (GUIDE_INTRO if guide else "")
    result["tags"] = api_tags + guide  # Swagger UI shows tags in this order: operations first

    result["x-tagGroups"] = [
        {"name": "Guide", "tags": [tag["name"] for tag in guide]},
        {"name": "Operations", "tags": [tag["name"] for tag in api_tags]},
    ]
    return result
