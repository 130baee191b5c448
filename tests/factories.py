"""factory_boy factories: agencies' clients and their tokens, and referrals in each lifecycle status, built
through the real services without HTTP (one factory per status, as in ``SubmittedReferralFactory``).

Tests about HTTP (status codes, headers, the token endpoint itself) keep calling the API; tests that only need
state in place build it here.
"""

from __future__ import annotations

import datetime
import secrets

import factory
from django.conf import settings
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, set_token_value

from agencies.models import Agency, Client
from audit.context import AuditContext

ALL_SCOPES = sorted(settings.PARTNER_SCOPES)
AccessToken = get_access_token_model()


class AgencyFactory(factory.django.DjangoModelFactory):
    """An agency; the seeded ones (CBP, ICE, USCIS, ...) are reused by code."""

    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG{n:03d}")
    name = factory.LazyAttribute(lambda agency: f"Agency {agency.code}")


class ClientFactory(factory.django.DjangoModelFactory):
    """A confidential client-credentials client of an agency, with every partner scope unless told."""

    class Meta:
        model = Client

    agency = factory.SubFactory(AgencyFactory, code="CBP")
    name = factory.LazyAttribute(lambda client: f"{client.agency.code} test client")
    allowed_scopes = " ".join(ALL_SCOPES)
    client_type = Client.CLIENT_CONFIDENTIAL
    authorization_grant_type = Client.GRANT_CLIENT_CREDENTIALS
    client_secret = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    hash_client_secret = True


class AccessTokenFactory(factory.django.DjangoModelFactory):
    """A live bearer token of a client, stored as the token endpoint stores it; ``token.raw`` is its value."""

    class Meta:
        model = AccessToken

    application = factory.SubFactory(ClientFactory)
    scope = factory.LazyAttribute(lambda token: token.application.allowed_scopes)
    expires = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(seconds=settings.ACCESS_TOKEN_SECONDS))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token = model_class(*args, **kwargs)
        raw = secrets.token_urlsafe(30)
        set_token_value(token, raw)
        token.save()
        token.raw = raw
        return token


def audit_context_of(client: Client) -> AuditContext:
    """The audit context of a call by ``client`` outside any request."""
    return AuditContext(agency_code=client.agency.code, client_id=client.client_id, client_name=client.name)
