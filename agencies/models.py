"""Agencies, their offices, the routing table, and the OAuth clients that act for an agency.

All of this is data, never code: an administrator adds an agency, an office or a route without a release.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from oauth2_provider.models import AbstractApplication, ApplicationManager

from agencies.tokens import AgencyQuerySet, ClientQuerySet

code_validator = RegexValidator(r"^[A-Z][A-Z0-9_]{1,15}$", "Codes are 2-16 upper-case letters, digits or _.")


class ReferralType(models.TextChoices):
    """The kinds of referral (domain.md). Which agency may receive which is the routing table."""

    INVESTIGATIVE_LEAD = "investigative_lead", "Investigative lead"
    VICTIM_ASSISTANCE = "victim_assistance", "Victim assistance"
    CONTINUED_PRESENCE = "continued_presence", "Continued Presence request"
    CONTINUED_PRESENCE_EXTENSION = "continued_presence_extension", "Continued Presence extension"
    RELIEF_SUPPORT = "relief_support", "Support for a T or U application"
    CERTIFICATION_VERIFICATION = "certification_verification", "Supplement B certification verification"
    INFORMATION_REQUEST = "information_request", "Information request"
    # Deprecated (api-contract.md v1.1, "Immigration relief"): USCIS decides eligibility on a filed application
    # and does not screen referrals. Kept readable; refused for new referrals after DEPRECATED_TYPES_SUNSET.
    IMMIGRATION_RELIEF_SCREENING = "immigration_relief_screening", "T/U immigration relief screening (deprecated)"


# Types kept readable but refused for new referrals after ``DEPRECATED_TYPES_SUNSET`` (use ``relief_support``).
DEPRECATED_REFERRAL_TYPES = {ReferralType.IMMIGRATION_RELIEF_SCREENING: ReferralType.RELIEF_SUPPORT}


class Agency(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(max_length=16, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    active = models.BooleanField(default=True, help_text="An inactive agency's clients and tokens stop working.")
    may_receive_1367_protected = models.BooleanField(
        default=False,
        help_text="May receive information about people protected by 8 U.S.C. 1367 (DHS, DOJ, DOS).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.code


class Office(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="offices")
    code = models.CharField(max_length=16, validators=[code_validator])
    name = models.CharField(max_length=200)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency__code", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="office_code_unique_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id and self.agency.code}/{self.code}"


class Route(models.Model):
    """One row of the routing table: ``agency`` may receive referrals of ``referral_type``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral_type = models.CharField(max_length=40, choices=ReferralType.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="routes")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["referral_type", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["referral_type", "agency"], name="route_unique_type_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.referral_type} -> {self.agency.code}"


def partner_scopes() -> set[str]:
    return set(settings.PARTNER_SCOPES)


def operator_scopes() -> set[str]:
    return set(settings.OPERATOR_SCOPES)


class TokenEndpointAuthMethod(models.TextChoices):
    """How a client authenticates at the token endpoint (RFC 7591 §2 ``token_endpoint_auth_method`` values)."""

    CLIENT_SECRET_BASIC = "client_secret_basic", "Client secret (HTTP Basic or form body)"
    PRIVATE_KEY_JWT = "private_key_jwt", "Private key JWT (RFC 7523 §2.2)"


class Client(AbstractApplication):
    """An agency's OAuth 2.0 client (RFC 6749 §2): client credentials only, with its own allowed scopes.

    Partner clients hold partner scopes only; the ``introspection`` scope (RFC 7662) is for operator clients.
    A client authenticates either with a secret (stored as a keyed hash) or, with ``private_key_jwt``, with a
    JWT signed by a key in its JWK Set (``jwks`` from a file, or fetched from ``jwks_uri``); never both.
    """

    AuthMethod = TokenEndpointAuthMethod

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="clients")
    allowed_scopes = models.CharField(max_length=500, help_text="Space-separated scopes this client may request.")
    is_operator = models.BooleanField(default=False, help_text="Operator clients may introspect tokens only.")
    active = models.BooleanField(default=True, help_text="An inactive client's tokens stop working at once.")
    last_token_at = models.DateTimeField(null=True, blank=True, editable=False)
    token_endpoint_auth_method = models.CharField(
        max_length=32, choices=TokenEndpointAuthMethod.choices, default=TokenEndpointAuthMethod.CLIENT_SECRET_BASIC
    )
    jwks = models.JSONField(
        null=True, blank=True, editable=False, help_text="The client's public JWK Set (private_key_jwt, from a file)."
    )
    jwks_uri = models.URLField(
        max_length=2000, blank=True, default="", editable=False, help_text="Where the client publishes its JWK Set."
    )

    objects = ApplicationManager.from_queryset(ClientQuerySet)()

    class Meta(AbstractApplication.Meta):
        ordering = ["agency__code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    @property
    def scope_list(self) -> list[str]:
        return sorted(set(self.allowed_scopes.split()))

    @property
    def uses_private_key_jwt(self) -> bool:
        return self.token_endpoint_auth_method == TokenEndpointAuthMethod.PRIVATE_KEY_JWT

    def is_usable(self, request) -> bool:
        """A client works only while it and its agency are active (checked on every token use)."""
        return self.active and self.agency.active

    def clean(self) -> None:
        requested = set(self.allowed_scopes.split())
        allowed = operator_scopes() if self.is_operator else partner_scopes()
        unknown = requested - allowed
        if unknown:
            kind = "operator" if self.is_operator else "partner"
            raise ValidationError({"allowed_scopes": f"Not allowed for a {kind} client: {', '.join(sorted(unknown))}."})
        if not requested:
            raise ValidationError({"allowed_scopes": "Give the client at least one scope."})
        if self.authorization_grant_type != self.GRANT_CLIENT_CREDENTIALS:
            raise ValidationError({"authorization_grant_type": "Only the client-credentials grant is supported."})
        if self.client_type != self.CLIENT_CONFIDENTIAL:
            raise ValidationError({"client_type": "Clients must be confidential."})
        has_keys = self.jwks is not None or bool(self.jwks_uri)
        if self.uses_private_key_jwt and (self.jwks is not None) == bool(self.jwks_uri):
            raise ValidationError({"jwks": "A private_key_jwt client needs a JWK Set from a file or a URL (one)."})
        if not self.uses_private_key_jwt and has_keys:
            raise ValidationError({"jwks": "Only a private_key_jwt client has a JWK Set."})


class UsedClientAssertion(models.Model):
    """A ``jti`` already accepted from a client (RFC 7523 §3 item 7): the durable half of the replay store.

    Kept until the assertion would have expired; the ``jti`` is stored as its SHA-256, never as sent.
    """

    client_id = models.CharField(max_length=100)
    jti_sha256 = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client_id", "jti_sha256"], name="used_assertion_unique_jti"),
        ]
        indexes = [models.Index(fields=["client_id", "expires_at"], name="used_assertion_expiry")]

    def __str__(self) -> str:
        return f"{self.client_id} jti {self.jti_sha256[:12]}"
