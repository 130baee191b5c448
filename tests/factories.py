"""factory_boy factories: agencies, their clients and tokens, and referrals in each lifecycle status, built
through the real services without HTTP (one factory per status, as in ``AcceptedReferralFactory``).

Tests about HTTP (status codes, headers, the token endpoint itself) keep calling the API; tests that only need
state in place build it here. ``AccessTokenFactory`` is the one way tests get a bearer token without the token
endpoint (the ``api`` fixture uses it).
"""

from __future__ import annotations

import copy
import datetime
import secrets
import uuid

import factory
from django.conf import settings
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, set_token_value

from agencies.models import Agency
from audit.context import AuditContext

ALL_SCOPES = sorted(settings.PARTNER_SCOPES)
AccessToken = get_access_token_model()

BASE_PERSON = {
    "role": "victim",
    "given_name": "Maria",
    "family_name": "Lopez",
    "aliases": ["Mari"],
    "date_of_birth": "1999-04-01",
    "sex": "female",
    "citizenships": ["HN"],
    "languages": ["es"],
    "a_number": "A123456789",
    "safe_contact": {"phone": "+15555550100", "instructions": "text only", "do_not_contact": False},
    "location": {"city": "San Diego", "state": "CA", "country": "US"},
    "protected_1367": False,
}


def referral_body(**overrides) -> dict:
    """A valid ``POST /referrals/`` body from CBP to ICE (JSON values), with ``overrides``."""
    body = {
        "referral_type": "victim_assistance",
        "receiver": {"agency": "ICE", "office": "VAP"},
        "priority": "routine",
        "external_reference": "EXT-" + uuid.uuid4().hex[:12],
        "summary": "Adult encountered at a port of entry with indicators of labor trafficking",
        "narrative": "Reports a debt owed to a recruiter.",
        "trafficking_types": ["labor"],
        "indicators": ["debt_bondage"],
        "persons": [copy.deepcopy(BASE_PERSON)],
        "case": None,
        "consent": {"obtained": True, "obtained_at": "2026-11-28T18:00:00Z", "scope": "share with VAP"},
        "related_referral": None,
    }
    body.update(overrides)
    return body


def audit_context_of(client) -> AuditContext:
    """The audit context of a call by ``client`` outside any request."""
    return AuditContext(agency_code=client.agency.code, client_id=client.client_id, client_name=client.name)


class AgencyFactory(factory.django.DjangoModelFactory):
    """An agency; the seeded ones (CBP, ICE, USCIS, ...) are reused by code."""

    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG{n:03d}")
    name = factory.LazyAttribute(lambda agency: f"Agency {agency.code}")


class ClientFactory(factory.Factory):
    """A client of an agency, created by ``agencies.services.client_create`` (so its secret is stored exactly as
    for a real client); ``client.raw_secret`` is its secret. Every partner scope unless ``scopes`` says."""

    class Meta:
        model = dict  # built by the service, see _create

    agency = factory.SubFactory(AgencyFactory, code="CBP")
    scopes = factory.LazyFunction(lambda: list(ALL_SCOPES))
    name = factory.LazyAttribute(lambda o: f"{o.agency.code} test client {secrets.token_hex(3)}")

    @classmethod
    def _create(cls, model_class, *, agency, scopes, name):
        from agencies.services import client_create

        issued = client_create(agency_code=agency.code, name=name, scopes=list(scopes))
        issued.client.raw_secret = issued.client_secret
        return issued.client

    _build = _create


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


# --- referrals, one factory per status -------------------------------------------------------------------------
class ReferralFactory(factory.Factory):
    """A referral sent by ``sender`` (a client) to ``receiver``'s agency through ``referral_create``, then walked
    to ``status`` with ``referral_act`` and the lifecycle table's example bodies (``AcceptedReferralFactory``
    etc. set the status). ``body`` overrides go into the create body."""

    class Meta:
        model = dict

    sender = factory.SubFactory(ClientFactory, agency__code="CBP")
    receiver = factory.SubFactory(ClientFactory, agency__code="ICE")
    body = factory.LazyFunction(dict)
    status = "submitted"

    @classmethod
    def _create(cls, model_class, *, sender, receiver, body, status):
        from referrals import services
        from referrals.api.serializers import ACTION_INPUT_SERIALIZERS, ReferralCreateSerializer
        from referrals.lifecycle import TRANSITIONS

        create = ReferralCreateSerializer(data=referral_body(**body))
        create.is_valid(raise_exception=True)
        referral, _ = services.referral_create(
            client=sender, data=create.validated_data, context=audit_context_of(sender)
        )
        for action in PATHS[status]:
            actor = sender if TRANSITIONS[action].actor == "sender" else receiver
            given = ACTION_INPUT_SERIALIZERS[action](data=TRANSITIONS[action].example_body())
            given.is_valid(raise_exception=True)
            referral = services.referral_act(
                referral_id=referral.pk, client=actor, action=action, data=given.validated_data, if_match=None,
                context=audit_context_of(actor),
            )  # fmt: skip
        assert referral.status == status
        return referral

    _build = _create


# The actions that lead from ``submitted`` to each status.
PATHS = {
    "submitted": [],
    "acknowledged": ["acknowledge"],
    "info_requested": ["request-info"],
    "accepted": ["accept"],
    "rejected": ["reject"],
    "in_progress": ["accept", "start"],
    "on_hold": ["accept", "start", "hold"],
    "completed": ["accept", "complete"],
    "withdrawn": ["withdraw"],
    "recalled": ["recall"],
}


class SubmittedReferralFactory(ReferralFactory):
    status = "submitted"


class AcknowledgedReferralFactory(ReferralFactory):
    status = "acknowledged"


class InfoRequestedReferralFactory(ReferralFactory):
    status = "info_requested"


class AcceptedReferralFactory(ReferralFactory):
    status = "accepted"


class RejectedReferralFactory(ReferralFactory):
    status = "rejected"


class InProgressReferralFactory(ReferralFactory):
    status = "in_progress"


class OnHoldReferralFactory(ReferralFactory):
    status = "on_hold"


class CompletedReferralFactory(ReferralFactory):
    status = "completed"


class WithdrawnReferralFactory(ReferralFactory):
    status = "withdrawn"


class RecalledReferralFactory(ReferralFactory):
    status = "recalled"


REFERRAL_FACTORIES = {
    f.status: f
    for f in (
        SubmittedReferralFactory, AcknowledgedReferralFactory, InfoRequestedReferralFactory, AcceptedReferralFactory,
        RejectedReferralFactory, InProgressReferralFactory, OnHoldReferralFactory, CompletedReferralFactory,
        WithdrawnReferralFactory, RecalledReferralFactory,
    )
}  # fmt: skip


def agency_admin_form(agency, *, may_receive_1367_protected: bool, active: bool) -> dict:
    """The admin's change form for ``agency`` as a browser posts it, offices inline and unchanged."""
    offices = list(agency.offices.all())
    data = {
        "code": agency.code,
        "name": agency.name,
        "may_receive_1367_protected": "on" if may_receive_1367_protected else "",
        "active": "on" if active else "",
        "offices-TOTAL_FORMS": str(len(offices)),
        "offices-INITIAL_FORMS": str(len(offices)),
        "offices-MIN_NUM_FORMS": "0",
        "offices-MAX_NUM_FORMS": "1000",
    }
    for index, office in enumerate(offices):
        data.update(
            {
                f"offices-{index}-id": str(office.pk),
                f"offices-{index}-agency": str(agency.pk),
                f"offices-{index}-code": office.code,
                f"offices-{index}-name": office.name,
                f"offices-{index}-active": "on",
            }
        )
    return data
