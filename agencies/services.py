"""Writes on agencies and their clients (HackSoft style: keyword-only, typed, one transaction each)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from agencies.jwks import InvalidJWKS, jwks_forget, jwks_url_check, jwks_validate
from agencies.models import Agency, Client, Office, ReferralType, Route
from audit.services import audit_record

# The seed of the routing table (domain.md, "What a referral is"). Data, not code: the admin edits it after.
SEED_AGENCIES = [
    {
        "code": "ICE",
        "name": "U.S. Immigration and Customs Enforcement",
        "may_receive_1367_protected": True,
        "offices": [
            ("HSI", "Homeland Security Investigations"),
            ("VAP", "HSI Victim Assistance Program"),
            ("CCHT", "DHS Center for Countering Human Trafficking (HSI-led)"),
        ],
    },
    {
        "code": "CBP",
        "name": "U.S. Customs and Border Protection",
        "may_receive_1367_protected": True,
        "offices": [("OFO", "Office of Field Operations"), ("USBP", "U.S. Border Patrol")],
    },
    {
        "code": "USCIS",
        "name": "U.S. Citizenship and Immigration Services",
        "may_receive_1367_protected": True,
        "offices": [
            ("VSC", "Vermont Service Center (T and U visa unit)"),
            ("NSC", "Nebraska Service Center"),
            ("HART", "Humanitarian, Adjustment, Removing Conditions and Travel Documents (HART) Service Center"),
        ],
    },
]
SEED_ROUTES = {
    ReferralType.INVESTIGATIVE_LEAD: ["ICE"],
    ReferralType.VICTIM_ASSISTANCE: ["ICE"],
    ReferralType.CONTINUED_PRESENCE: ["ICE"],
    ReferralType.CONTINUED_PRESENCE_EXTENSION: ["ICE"],
    ReferralType.RELIEF_SUPPORT: ["USCIS"],
    ReferralType.CERTIFICATION_VERIFICATION: ["ICE", "CBP"],
    ReferralType.IMMIGRATION_RELIEF_SCREENING: ["USCIS"],
    ReferralType.INFORMATION_REQUEST: ["ICE", "CBP", "USCIS"],
}


@dataclass(frozen=True)
class IssuedCredentials:
    """A client and its plaintext secret, which exists only here: the database keeps a hash.

    A ``private_key_jwt`` client has no secret (``None``): it proves itself with its own private key.
    """

    client: Client
    client_secret: str | None

    def as_dict(self) -> dict:
        return {
            "client_id": self.client.client_id,
            "client_secret": self.client_secret,
            "agency": self.client.agency.code,
            "scopes": " ".join(self.client.scope_list),
        }


@dataclass(frozen=True)
class JWKSSource:
    """Where a private_key_jwt client's public keys come from: a submitted set, or a URL to fetch."""

    jwks: dict | None = None
    jwks_uri: str = ""

    @classmethod
    def from_file(cls, text: str | bytes) -> JWKSSource:
        """Check a submitted JWK Set (public keys only); ``ValidationError`` saying what is wrong."""
        try:
            return cls(jwks=jwks_validate(text))
        except InvalidJWKS as exc:
            raise ValidationError(f"JWK Set refused: {exc}") from None

    @classmethod
    def from_url(cls, url: str) -> JWKSSource:
        """Check a JWK Set URL against the SSRF rules now (it is checked again on every fetch)."""
        try:
            return cls(jwks_uri=jwks_url_check(url))
        except InvalidJWKS as exc:
            raise ValidationError(f"JWK Set URL refused: {exc}") from None

    def apply(self, client: Client) -> None:
        client.jwks = self.jwks
        client.jwks_uri = self.jwks_uri


@transaction.atomic
def agencies_seed() -> dict[str, int]:
    """Create the seed agencies, offices and routes if missing; never overwrite an administrator's edits."""
    created = {"agencies": 0, "offices": 0, "routes": 0}
    by_code: dict[str, Agency] = {}
    for spec in SEED_AGENCIES:
        agency, made = Agency.objects.get_or_create(
            code=spec["code"],
            defaults={"name": spec["name"], "may_receive_1367_protected": spec["may_receive_1367_protected"]},
        )
        created["agencies"] += made
        by_code[agency.code] = agency
        for code, name in spec["offices"]:
            _, made = Office.objects.get_or_create(agency=agency, code=code, defaults={"name": name})
            created["offices"] += made
    for referral_type, codes in SEED_ROUTES.items():
        for code in codes:
            _, made = Route.objects.get_or_create(referral_type=referral_type, agency=by_code[code])
            created["routes"] += made
    return created


def _validate_scopes(scopes: list[str], *, operator: bool) -> list[str]:
    allowed = set(settings.OPERATOR_SCOPES if operator else settings.PARTNER_SCOPES)
    unknown = sorted(set(scopes) - allowed)
    if unknown:
        kind = "operator" if operator else "partner"
        raise ValidationError(
            f"Unknown or not allowed for a {kind} client: {', '.join(unknown)}. Allowed: {', '.join(sorted(allowed))}."
        )
    if not scopes:
        raise ValidationError("Give at least one scope.")
    return sorted(set(scopes))


@transaction.atomic
def client_create(
    *, agency_code: str, name: str, scopes: list[str], operator: bool = False, keys: JWKSSource | None = None
) -> IssuedCredentials:
    """Create a confidential client-credentials client for an agency; returns its secret, shown once.

    With ``keys`` the client authenticates with ``private_key_jwt`` (RFC 7523) and has no secret at all.
    """
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        known = ", ".join(Agency.objects.values_list("code", flat=True)) or "none (run seed_agencies)"
        raise ValidationError(f"No agency with code {agency_code!r}. Known: {known}.")
    name = name.strip()
    if not name or len(name) > 255:
        raise ValidationError("The client name must be 1 to 255 characters.")
    scopes = _validate_scopes(scopes, operator=operator)
    secret = generate_client_secret() if keys is None else None
    client = Client(
        agency=agency,
        name=name,
        allowed_scopes=" ".join(scopes),
        is_operator=operator,
        client_type=Client.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Client.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret or "",
        hash_client_secret=secret is not None,
    )
    if keys is not None:
        client.token_endpoint_auth_method = Client.AuthMethod.PRIVATE_KEY_JWT
        keys.apply(client)
    client.full_clean(exclude=["client_secret", "user"])
    client.save()
    _audit_credential("client.created", client, reason=client.token_endpoint_auth_method)
    return IssuedCredentials(client=client, client_secret=secret)


def _revoke_tokens(client: Client) -> int:
    get_refresh_token_model().objects.filter(application=client).delete()
    deleted, _ = get_access_token_model().objects.filter(application=client).delete()
    return deleted


@transaction.atomic
def client_rotate_secret(*, client_id: str, context=None) -> IssuedCredentials:
    """Give a client a new secret; the old secret and every token issued under it stop working at once.

    ``context`` (an ``audit.context.AuditContext``) names who did it, e.g. the admin user; by default the audit
    row names only the client (an operator at the command line)."""
    client = _client_for_update(client_id)
    if client.uses_private_key_jwt:
        raise ValidationError(
            f"Client {client_id} authenticates with private_key_jwt and has no secret: publish a new key "
            "(agency_client_set_jwks), or switch it with agency_client_set_auth --auth client_secret_basic."
        )
    secret = generate_client_secret()
    client.client_secret = secret
    client.save(update_fields=["client_secret", "updated"])
    _revoke_tokens(client)
    _audit_credential("client.secret_rotated", client, context=context)
    return IssuedCredentials(client=client, client_secret=secret)


@transaction.atomic
def client_set_jwks(*, client_id: str, keys: JWKSSource) -> Client:
    """Replace a private_key_jwt client's JWK Set (key rollover); live tokens stay valid."""
    client = _client_for_update(client_id)
    if not client.uses_private_key_jwt:
        raise ValidationError(
            f"Client {client_id} authenticates with a client secret; switch it first with "
            "agency_client_set_auth --auth private_key_jwt (which takes the keys too)."
        )
    old_uri = client.jwks_uri
    keys.apply(client)
    client.full_clean(exclude=["client_secret", "user"])
    client.save(update_fields=["jwks", "jwks_uri", "updated"])
    if old_uri:
        transaction.on_commit(lambda: jwks_forget(client.client_id, old_uri))
    _audit_credential("client.jwks_changed", client, reason="jwks_uri" if client.jwks_uri else "jwks")
    return client


@transaction.atomic
def client_set_auth_method(*, client_id: str, method: str, keys: JWKSSource | None = None) -> IssuedCredentials:
    """Switch how a client authenticates; the other method, and every token obtained with it, stop at once.

    To ``private_key_jwt`` (``keys`` required): the secret hash is erased. To ``client_secret_basic``: the JWK Set
    is erased and a new secret is returned, shown once. Either way the client's live tokens are revoked.
    """
    if method not in Client.AuthMethod.values:
        raise ValidationError(f"Unknown method {method!r}. Allowed: {', '.join(Client.AuthMethod.values)}.")
    client = _client_for_update(client_id)
    if client.token_endpoint_auth_method == method:
        raise ValidationError(f"Client {client_id} already uses {method}.")
    old_uri = client.jwks_uri
    secret = None
    if method == Client.AuthMethod.PRIVATE_KEY_JWT:
        if keys is None:
            raise ValidationError("Switching to private_key_jwt needs the client's keys: --jwks-file or --jwks-url.")
        keys.apply(client)
        client.client_secret = ""
        client.hash_client_secret = False
    else:
        if keys is not None:
            raise ValidationError("A client_secret_basic client has no JWK Set: drop --jwks-file/--jwks-url.")
        secret = generate_client_secret()
        JWKSSource().apply(client)
        client.client_secret = secret
        client.hash_client_secret = True
    client.token_endpoint_auth_method = method
    client.full_clean(exclude=["client_secret", "user"])
    client.save(
        update_fields=[
            "token_endpoint_auth_method",
            "client_secret",
            "hash_client_secret",
            "jwks",
            "jwks_uri",
            "updated",
        ]
    )
    _revoke_tokens(client)
    if old_uri:
        transaction.on_commit(lambda: jwks_forget(client.client_id, old_uri))
    _audit_credential("client.auth_method_changed", client, reason=method)
    return IssuedCredentials(client=client, client_secret=secret)


@transaction.atomic
def client_revoke(*, client_id: str, context=None) -> Client:
    """Deactivate a client and delete its tokens; it can no longer obtain or use any token."""
    client = _client_for_update(client_id)
    client.active = False
    client.save(update_fields=["active", "updated"])
    _revoke_tokens(client)
    _audit_credential("client.revoked", client, context=context)
    return client


@transaction.atomic
def client_set_scopes(*, client_id: str, scopes: list[str], context=None) -> Client:
    """Replace a client's allowed scopes. Narrowing takes effect on its live tokens at once: a token may use
    only the scopes it was issued with that its client still allows (``referral_api.permissions.effective_scopes``),
    and saving the client makes every cached token of it stale. Widening gives live tokens nothing new (they keep
    the scopes they were issued with); the client's next token gets them."""
    client = _client_for_update(client_id)
    scopes = _validate_scopes(scopes, operator=client.is_operator)
    before = set(client.allowed_scopes.split())
    client.allowed_scopes = " ".join(scopes)
    client.save(update_fields=["allowed_scopes", "updated"])
    after = set(scopes)
    reasons = [f"removed:{s}" for s in sorted(before - after)] + [f"added:{s}" for s in sorted(after - before)]
    for reason in reasons or [None]:
        _audit_credential("client.scopes_changed", client, context=context, reason=reason)
    return client


def _client_for_update(client_id: str) -> Client:
    client = Client.objects.select_for_update().select_related("agency").filter(client_id=client_id).first()
    if client is None:
        raise ValidationError(f"No client with id {client_id!r}.")
    return client


def _audit_credential(action: str, client: Client, *, context=None, reason: str | None = None) -> None:
    """Record a credential event in the audit log (plain values only; never the secret or key material).

    With a ``context`` (an admin user, a request), the actor columns name that actor; the client acted on is the
    object. Without one, the client itself is named (operator commands).
    """
    actor = {} if context is not None else {"client_id": client.client_id, "client_name": client.name}
    audit_record(
        action=action,
        object_type="client",
        object_id=client.client_id,
        outcome="success",
        context=context,
        agency_code=client.agency.code,
        occurred_at=timezone.now(),
        reason=reason,
        **actor,
    )
