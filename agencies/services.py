"""Writes on agencies and their clients (HackSoft style: keyword-only, typed, one transaction each)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

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
            ("CCHT", "DHS Center for Countering Human Trafficking"),
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
            ("HTVU", "Humanitarian, Adjustment, Removing Conditions and Travel Documents Division"),
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
    """A client and its plaintext secret, which exists only here: the database keeps a hash."""

    client: Client
    client_secret: str

    def as_dict(self) -> dict:
        return {
            "client_id": self.client.client_id,
            "client_secret": self.client_secret,
            "agency": self.client.agency.code,
            "scopes": " ".join(self.client.scope_list),
        }


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
def client_create(*, agency_code: str, name: str, scopes: list[str], operator: bool = False) -> IssuedCredentials:
    """Create a confidential client-credentials client for an agency; returns its secret, shown once."""
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        known = ", ".join(Agency.objects.values_list("code", flat=True)) or "none (run seed_agencies)"
        raise ValidationError(f"No agency with code {agency_code!r}. Known: {known}.")
    name = name.strip()
    if not name or len(name) > 255:
        raise ValidationError("The client name must be 1 to 255 characters.")
    scopes = _validate_scopes(scopes, operator=operator)
    secret = generate_client_secret()
    client = Client(
        agency=agency,
        name=name,
        allowed_scopes=" ".join(scopes),
        is_operator=operator,
        client_type=Client.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Client.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    client.full_clean(exclude=["client_secret", "user"])
    client.save()
    _audit_credential("client.created", client)
    return IssuedCredentials(client=client, client_secret=secret)


def _revoke_tokens(client: Client) -> int:
    get_refresh_token_model().objects.filter(application=client).delete()
    deleted, _ = get_access_token_model().objects.filter(application=client).delete()
    return deleted


@transaction.atomic
def client_rotate_secret(*, client_id: str) -> IssuedCredentials:
    """Give a client a new secret; the old secret and every token issued under it stop working at once."""
    client = _client_for_update(client_id)
    secret = generate_client_secret()
    client.client_secret = secret
    client.save(update_fields=["client_secret", "updated"])
    _revoke_tokens(client)
    _audit_credential("client.secret_rotated", client)
    return IssuedCredentials(client=client, client_secret=secret)


@transaction.atomic
def client_revoke(*, client_id: str) -> Client:
    """Deactivate a client and delete its tokens; it can no longer obtain or use any token."""
    client = _client_for_update(client_id)
    client.active = False
    client.save(update_fields=["active", "updated"])
    _revoke_tokens(client)
    _audit_credential("client.revoked", client)
    return client


def _client_for_update(client_id: str) -> Client:
    client = Client.objects.select_for_update().select_related("agency").filter(client_id=client_id).first()
    if client is None:
        raise ValidationError(f"No client with id {client_id!r}.")
    return client


def _audit_credential(action: str, client: Client) -> None:
    """Record a credential event in the audit log (plain values only; never the secret)."""
    audit_record(
        action=action,
        object_type="client",
        object_id=client.client_id,
        outcome="success",
        agency_code=client.agency.code,
        client_id=client.client_id,
        client_name=client.name,
        occurred_at=timezone.now(),
    )
