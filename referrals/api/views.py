"""Referral endpoints. Views validate input, call one service or selector, and serialize the result.

Need to know is enforced once, in ``ReferralScopedView.initial()`` (``referrals.api.base``): every route under a
referral resolves it through ``referrals_visible_to``, so a non-party gets 404 on every path and method.
"""

from __future__ import annotations

import datetime

from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from audit.api.serializers import AccessLogEntrySerializer
from audit.context import audit_context
from audit.selectors import audit_entries_for_object
from audit.services import audit_record_many
from referral_api.deprecation import Deprecation, deprecation_register, deprecation_use
from referral_api.pagination import KeysetPagination, parse_page_size
from referrals import forwarding, services
from referrals.api import serializers as s
from referrals.api.base import (
    IDEMPOTENCY_PARAMETER,
    IF_MATCH_OPTIONAL,
    IF_MATCH_REQUIRED,
    NOT_FOUND,
    PURPOSE,
    READ,
    WRITE,
    ReferralAPIView,
    ReferralScopedView,
    etag,
    parse_if_match,
)
from referrals.deprecations import referral_type_note
from referrals.errors import Gone
from referrals.filters import FILTERS, filter_referrals
from referrals.idempotency import idempotent
from referrals.lifecycle import RECEIVER, SENDER, STATUS_ACTIONS, TRANSITIONS, lifecycle_markdown
from referrals.models import IdempotencyRecord, Note, Referral, StatusEvent
from referrals.policies import SIDE_WORDS, referral_content_withheld
from referrals.selectors import representation_page, representation_shape, visible_branches

# v1.1: the HHS child notice is recorded through POST referrals/{id}/hhs-notification/ (who, how, request number).
HHS_NOTIFIED_AT = deprecation_register(
    Deprecation(
        key="field:hhs_notified_at",
        what="`hhs_notified_at` on `POST referrals/` and `PATCH referrals/{id}/`",
        instead="Record the notice with `POST referrals/{id}/hhs-notification/` (`notified_at`, `method`, "
        "`request_number`).",
        deprecated_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
    )
)


def _note_deprecated_fields(request) -> None:
    """Deprecation headers (RFC 9745) for a v1 body that still sends ``hhs_notified_at``."""
    if isinstance(request.data, dict) and "hhs_notified_at" in request.data:
        deprecation_use(request, HHS_NOTIFIED_AT, field="hhs_notified_at")


EXAMPLE_CREATE = {
    "referral_type": "victim_assistance",
    "receiver": {"agency": "ICE", "office": "VAP"},
    "priority": "urgent",
    "external_reference": "CBP-OFO-2026-0042",
    "summary": "Adult female encountered at San Ysidro, indicators of labor trafficking",
    "narrative": "Encountered during secondary inspection; reports a debt owed to a recruiter.",
    "trafficking_types": ["labor"],
    "indicators": ["debt_bondage", "documents_withheld"],
    "persons": [{
        "role": "victim", "given_name": "Maria", "family_name": "Lopez", "aliases": ["Mari"],
        "date_of_birth": "1999-04-01", "sex": "female", "citizenships": ["HN"], "languages": ["es"],
        "a_number": "A123456789",
        "safe_contact": {"phone": "+15555550100", "instructions": "text only", "do_not_contact": False},
        "location": {"city": "San Diego", "state": "CA", "country": "US"}, "protected_1367": False,
    }],
    "case": None,
    "consent": {"obtained": True, "obtained_at": "2026-11-28T18:00:00Z", "scope": "share with VAP"},
    "related_referral": None,
}  # fmt: skip


# One worked create body per referral type, with the agency that usually sends it (domain.md, types table).
# tests/referrals/test_create_examples.py sends each one, so an example that breaks a rule fails the build.
CREATE_EXAMPLES: dict[str, tuple[str, dict]] = {
    "Victim assistance (CBP to ICE VAP)": ("CBP", EXAMPLE_CREATE),
    "Investigative lead with a case (CBP to ICE HSI)": ("CBP", {
        "referral_type": "investigative_lead", "receiver": {"agency": "ICE", "office": "HSI"},
        "priority": "urgent", "external_reference": "CBP-USBP-2026-0107",
        "summary": "Stash house suspected; three adults report recruiters kept their passports",
        "trafficking_types": ["labor"], "indicators": ["documents_withheld", "debt_bondage"],
        "persons": [
            {"role": "suspect", "given_name": "Jorge", "family_name": "Ramos", "sex": "male",
             "citizenships": ["MX"]},
            {"role": "potential_victim", "sex": "female", "citizenships": ["GT"], "languages": ["es"]},
        ],
        "case": {
            "sender_case_number": "USBP-LRT-2026-0107", "title": "Recruiter network, Laredo sector",
            "locations": [{"city": "Laredo", "state": "TX", "country": "US", "description": "Stash house"}],
            "organizations": [{"name": "Example Labor Contractors LLC", "kind": "business"}],
        },
    }),
    "Continued Presence request (CBP to ICE CCHT)": ("CBP", {
        "referral_type": "continued_presence", "receiver": {"agency": "ICE", "office": "CCHT"},
        "priority": "routine", "external_reference": "CBP-OFO-2026-0311",
        "summary": "Victim-witness in an HSI case needs Continued Presence to remain during the investigation",
        "persons": [{"role": "victim", "given_name": "Ana", "family_name": "Perez", "date_of_birth": "1996-02-11",
                     "sex": "female", "citizenships": ["HN"], "languages": ["es"], "a_number": "A234567890"}],
    }),
    "Information request about a case (USCIS to ICE HSI)": ("USCIS", {
        "referral_type": "information_request", "receiver": {"agency": "ICE", "office": "HSI"},
        "priority": "routine", "external_reference": "USCIS-HART-2026-0042",
        "summary": "Is there an open investigation matching the facts in a pending T visa application?",
        "case": {"sender_case_number": "HART-2026-0042", "title": "Domestic servitude, Houston",
                 "locations": [{"city": "Houston", "state": "TX", "country": "US"}]},
    }),
    # Immigration relief (api-contract.md v1.1); the extension names a granted continued_presence referral (the
    # test substitutes one it grants first).
    "Continued Presence extension (CBP to ICE CCHT, names the granted CP)": ("CBP", {
        "referral_type": "continued_presence_extension", "receiver": {"agency": "ICE", "office": "CCHT"},
        "priority": "urgent", "external_reference": "CBP-OFO-2026-0311-X1",
        "summary": "Extension of the Continued Presence granted 2026-12-01; the victim still cooperates",
        "persons": [{"role": "victim", "given_name": "Ana", "family_name": "Perez", "date_of_birth": "1996-02-11",
                     "sex": "female", "citizenships": ["HN"], "languages": ["es"], "a_number": "A234567890",
                     "protected_1367": True}],
        "related_referral": "5f0c7a8e-2b1d-4c8e-9a51-3f8e2d7c1b90",
    }),
    "Relief support (ICE HSI to USCIS VSC)": ("ICE", {
        "referral_type": "relief_support", "receiver": {"agency": "USCIS", "office": "VSC"},
        "priority": "routine", "external_reference": "HSI-SD-2026-0117-TV",
        "summary": "I-914 Supplement B signed for a pending T visa application; victim cooperating in HSI case",
        "persons": [{"role": "victim", "given_name": "Maria", "family_name": "Lopez", "date_of_birth": "1999-04-01",
                     "sex": "female", "citizenships": ["HN"], "languages": ["es"], "a_number": "A123456789",
                     "protected_1367": True}],
    }),
    "Certification verification (USCIS to ICE HSI)": ("USCIS", {
        "referral_type": "certification_verification", "receiver": {"agency": "ICE", "office": "HSI"},
        "priority": "routine", "external_reference": "USCIS-VSC-2026-U-00311",
        "summary": "Please confirm the I-918 Supplement B signed 2026-10-02 by HSI San Diego",
        "persons": [{"role": "victim", "given_name": "Rosa", "family_name": "Diaz", "sex": "female",
                     "citizenships": ["SV"], "languages": ["es"], "a_number": "A345678901",
                     "protected_1367": True}],
    }),
}  # fmt: skip


EXAMPLE_REFERRAL = {
    "id": "5f0c7a8e-2b1d-4c8e-9a51-3f8e2d7c1b90", "reference": "REF-2026-000042",
    "referral_type": "victim_assistance", "status": "acknowledged", "priority": "urgent",
    "sender": {"agency": "CBP", "office": None}, "receiver": {"agency": "ICE", "office": "VAP"},
    "external_reference": "CBP-OFO-2026-0042",
    "summary": "Adult female encountered at San Ysidro, indicators of labor trafficking",
    "narrative": "Encountered during secondary inspection; reports a debt owed to a recruiter.",
    "trafficking_types": ["labor"], "indicators": ["debt_bondage", "documents_withheld"],
    "persons": [{
        "id": "0b6f1d2e-8c3a-4f5b-9e7d-1a2b3c4d5e6f", "role": "victim", "masked": True, "given_name": None,
        "family_name": None, "aliases": None, "date_of_birth": None, "sex": "female", "citizenships": ["HN"],
        "languages": ["es"], "interpreter_needed": False, "us_citizen_or_lpr": "no", "a_number": None,
        "other_identifiers": None, "safe_contact": None, "location": None, "protected_1367": False,
        "protection_basis": None, "protection_ends_on": None, "disclosure_basis": None, "is_minor": False,
        "withheld": None,
    }],
    "case": None, "consent": {"obtained": True, "obtained_at": "2026-11-28T18:00:00Z", "scope": "share with VAP"},
    "related_referral": None, "version": 2, "created_at": "2026-11-28T19:46:32Z", "updated_at": "2026-11-28T20:01:05Z",
    "acknowledge_by": "2026-11-29T19:46:32Z", "acknowledged_at": "2026-11-28T20:01:05Z", "overdue": False,
    "encountered_at": "2026-11-28T18:30:00Z",
    "hhs_notification": {"required": False, "due_by": None, "notified_at": None, "method": None,
                         "request_number": None, "notified_by": None, "overdue": False}, "assignee": None,
    "receiver_reference": None, "parent": None, "children": [], "continued_presence": None,
    "deadlines": [{"kind": "acknowledgement", "due_at": "2026-11-29T19:46:32Z", "open": False, "overdue": False}],
    "outcome_code": None, "outcome": None, "closed_at": None, "legal_hold": False,
    "allowed_actions": ["accept", "reject", "request-info"],
}  # fmt: skip

ACTION_EXAMPLES = {action: transition.example_body() for action, transition in TRANSITIONS.items()}
ACTION_EXAMPLES["complete_continued_presence"] = {
    "outcome_code": "continued_presence_granted",
    "outcome": "Continued Presence granted by CCHT.",
    "continued_presence": {"effective_on": "2026-12-01", "expires_on": "2028-11-30"},
}


class VisibleReferralPagination(KeysetPagination):
    """Newest-first keyset pages over the union of the caller's sent and received referrals.

    Each branch is limited to one page past the cursor on its own index, then the page is the newest of those
    (one SQL statement: ``id IN ((sent ... LIMIT n) UNION ALL (received ... LIMIT n)) ORDER BY ... LIMIT n``).
    """

    def __init__(self, branches, *, pii: bool):
        super().__init__()
        self.branches = branches
        self.pii = pii

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.check_query(request, view)
        size = parse_page_size(request)
        position, backwards = self._decode_cursor(request)
        forward_desc = self.descending != backwards
        order = [("-" if forward_desc else "") + name for name in self.ordering]
        parts = []
        for branch in self.branches:
            if position is not None:
                lookup = TupleLessThan if forward_desc else TupleGreaterThan
                branch = branch.filter(lookup(Tuple(*(F(name) for name in self.ordering)), position))
            parts.append(branch.order_by(*order).values("pk")[: size + 1])
        ids = parts[0].union(*parts[1:], all=True)
        rows = representation_page(ids, pii=self.pii, order=tuple(order), limit=size + 1)
        return self.page(rows, size=size, position=position, backwards=backwards)


class ReferralListCreateView(ReferralAPIView):
    required_scopes = {"GET": READ, "POST": WRITE}
    query_parameters = tuple(FILTERS)

    @extend_schema(
        tags=["referrals"], operation_id="referrals_list", summary="List your agency's referrals",
        description="Referrals your agency sent or received, newest first. Filters: "
        + "; ".join(f"`{k}`: {v}" for k, v in FILTERS.items()) + ". Unknown parameters are refused (400).",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, description=FILTERS["status"]),
            OpenApiParameter("referral_type", OpenApiTypes.STR, enum=[t.value for t in s.ReferralType],
                             description=FILTERS["referral_type"]),
            OpenApiParameter("priority", OpenApiTypes.STR, enum=[p.value for p in s.Priority],
                             description=FILTERS["priority"]),
            OpenApiParameter("direction", OpenApiTypes.STR, enum=["incoming", "outgoing"],
                             description=FILTERS["direction"]),
            OpenApiParameter("sender", OpenApiTypes.STR, description=FILTERS["sender"]),
            OpenApiParameter("receiver", OpenApiTypes.STR, description=FILTERS["receiver"]),
            OpenApiParameter("created_after", OpenApiTypes.DATETIME, description=FILTERS["created_after"]),
            OpenApiParameter("created_before", OpenApiTypes.DATETIME, description=FILTERS["created_before"]),
            OpenApiParameter("updated_after", OpenApiTypes.DATETIME, description=FILTERS["updated_after"]),
            OpenApiParameter("external_reference", OpenApiTypes.STR, description=FILTERS["external_reference"]),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description=FILTERS["overdue"]),
            OpenApiParameter("hhs_overdue", OpenApiTypes.BOOL, description=FILTERS["hhs_overdue"]),
            OpenApiParameter("receiver_reference", OpenApiTypes.STR, description=FILTERS["receiver_reference"]),
            OpenApiParameter("cp_expires_before", OpenApiTypes.DATE, description=FILTERS["cp_expires_before"]),
            OpenApiParameter("deadline_before", OpenApiTypes.DATETIME, description=FILTERS["deadline_before"]),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="Opaque cursor from `next` or `previous`."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 200, default 50."),
            PURPOSE,
        ],
        responses={200: s.ReferralSerializer(many=True)},
    )  # fmt: skip
    def get(self, request):
        agency = self.agency()
        # A disposed referral leaves the list (its tombstone still counts in statistics).
        queryset = filter_referrals(
            Referral.objects.filter(disposed_at__isnull=True), request.query_params, agency=agency
        )
        referral_type_note(request, request.query_params.get("referral_type"))
        paginator = VisibleReferralPagination(visible_branches(queryset, agency=agency), pii=self.pii())
        rows = paginator.paginate_queryset(queryset, request, view=self)
        audit_record_many(
            action="referral.list_read",
            object_type="referral",
            object_ids=[str(r.pk) for r in rows],
            context=audit_context(request),
        )
        return paginator.get_paginated_response([self.represent(r) for r in rows])

    @extend_schema(
        tags=["referrals"], operation_id="referrals_create", summary="Send a referral",
        description="Create a referral from your agency to another. The receiving agency must accept the "
        "`referral_type` (routing table, see `GET /agencies/`; 422 otherwise). A person flagged `protected_1367` "
        "(8 U.S.C. 1367(a)(2)) may go to an agency that is not `may_receive_1367_protected` only with a "
        "`disclosure_basis` naming an exception of 1367(b) for that person (422 `disclosure-basis-required` on "
        "`persons[i].disclosure_basis`); a `b4_waiver` is refused when any person is a minor (422 "
        "`waiver-requires-adults`, 1367(b)(4)). `consent` is consent to services and never lifts 1367. "
        "A minor (under 18 at `encountered_at` by date of birth, or `is_minor`) raises the priority to at least "
        "`urgent`; a minor victim or possible victim who is not a U.S. citizen or LPR makes the HHS notice "
        "required, due 24 hours after `encountered_at` (22 U.S.C. 7105(b)(1)(G)). The answer lists "
        "`possible_duplicates`: referrals you can already see that name the same person. See docs/legal-rules.md "
        "for every legal rule and its source.",
        request=s.ReferralCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER, PURPOSE],
        responses={
            201: s.ReferralCreatedSerializer,
            409: OpenApiResponse(description="`external_reference` already used by your agency, or "
                                             "`idempotency-key-in-use`."),
            422: OpenApiResponse(description="Routing rule, 8 U.S.C. 1367 (`disclosure-basis-required`, "
                                             "`waiver-requires-adults`), or `idempotency-key-reuse`."),
        },
        examples=[
            OpenApiExample(title, value=body, request_only=True, description=f"Sent by {sender}.")
            for title, (sender, body) in CREATE_EXAMPLES.items()
        ],
    )  # fmt: skip
    def post(self, request):
        client = self.client()
        _note_deprecated_fields(request)

        def handler():
            serializer = s.ReferralCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            referral_type_note(request, serializer.validated_data["referral_type"])
            referral, duplicates = services.referral_create(
                client=client, data=serializer.validated_data, context=audit_context(request)
            )
            return self.created_response(referral, duplicates), referral.pk

        def replay(record: IdempotencyRecord):
            referral = Referral.objects.get(pk=record.resource_id)
            if referral.is_disposed:
                raise Gone()  # the referral created under this key has since been disposed of
            # A replay shows the referral again (with PII under pii:read): a read, audited.
            self.audit("referral.read", referral.pk, reason="idempotent_replay")
            return self.created_response(referral, None)

        return idempotent(request, client_id=client.client_id, handler=handler, replay=replay)


class ReferralDetailView(ReferralScopedView):
    required_scopes = {"GET": READ, "PATCH": WRITE}

    def referral_shape(self):
        # GET answers with the whole referral: load its representation with it (one SELECT).
        if self.request.method == "GET":
            return representation_shape(self.pii())
        return super().referral_shape()

    @extend_schema(
        tags=["referrals"],
        operation_id="referrals_retrieve",
        summary="Read a referral",
        parameters=[PURPOSE],
        responses={200: s.ReferralSerializer, 404: NOT_FOUND},
        examples=[OpenApiExample("Receiver's view without pii:read", value=EXAMPLE_REFERRAL, response_only=True)],
    )
    def get(self, request, pk):
        self.audit("referral.read")
        response = Response(self.represent(self.referral))
        response["ETag"] = etag(self.referral)
        return response

    @extend_schema(
        tags=["referrals"], operation_id="referrals_partial_update", summary="Edit a referral",
        description="Sender only, while `submitted`, `acknowledged` or `info_requested`. `If-Match` is required "
        "(428 without it, 412 when stale). `persons` and `case` replace the whole list or object. The receiving "
        "agency cannot change (withdraw and send a new referral); its office can.",
        request=s.ReferralUpdateSerializer,
        parameters=[IF_MATCH_REQUIRED, PURPOSE],
        responses={200: s.ReferralSerializer, 404: NOT_FOUND,
                   409: OpenApiResponse(description="Not editable in its status (`invalid-transition`)."),
                   412: OpenApiResponse(description="Stale `If-Match`."),
                   422: OpenApiResponse(description="Routing or 8 U.S.C. 1367 rule, or the receiving agency "
                                                    "changed (`validation-error`)."),
                   428: OpenApiResponse(description="`If-Match` missing.")},
    )  # fmt: skip
    def patch(self, request, pk):
        side = self.side
        body = request.data if isinstance(request.data, dict) else {}
        receiver_fields = set(services.RECEIVER_EDITABLE_FIELDS)
        # api-contract.md v1.1: the receiver may change only its own fields; each party is told which field of
        # its body belongs to the other one (403 naming it) before anything else is looked at.
        foreign = sorted(set(body) - receiver_fields) if side == RECEIVER else sorted(set(body) & receiver_fields)
        if foreign:
            raise services.fields_not_yours(foreign, side=side)
        if side == SENDER:
            _note_deprecated_fields(request)
        if_match = parse_if_match(request, required=True)
        serializer_class = s.ReceiverUpdateSerializer if side == RECEIVER else s.ReferralUpdateSerializer
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        service = services.referral_receiver_update if side == RECEIVER else services.referral_update
        referral = service(
            referral_id=pk,
            client=self.client(),
            data=serializer.validated_data,
            if_match=if_match,
            context=audit_context(request),
        )
        return self.referral_response(referral)


def _action_view(action: str):
    transition = TRANSITIONS[action]
    input_serializer = s.ACTION_INPUT_SERIALIZERS[action]
    side_word = SIDE_WORDS[transition.actor]

    class ReferralActionView(ReferralScopedView):
        required_scopes = WRITE
        # The service locks the referral, checks the side, the version and the status, and loads the answer's
        # representation with the lock: one read of the referral in all.
        resolve_before_handler = False

        @extend_schema(
            tags=["lifecycle"], operation_id=f"referrals_{action.replace('-', '_')}",
            summary=f"{action.replace('-', ' ').capitalize()} ({transition.actor})",
            description=(
                f"{transition.description} Only the {side_word} agency may do this (403 `permission-denied` "
                f"otherwise). From: {', '.join(sorted(transition.sources))}; to: `{transition.target}` "
                "(409 `invalid-transition` from any other status, listing `allowed_actions`). Of two concurrent "
                "actions on one referral exactly one wins.\n\nThe lifecycle:\n\n" + lifecycle_markdown()
            ),
            request=input_serializer,
            examples=[OpenApiExample(action, value=ACTION_EXAMPLES[action], request_only=True)]
            + ([OpenApiExample("Continued Presence granted", value=ACTION_EXAMPLES["complete_continued_presence"],
                               request_only=True)] if action == "complete" else []),
            parameters=[IF_MATCH_OPTIONAL, IDEMPOTENCY_PARAMETER, PURPOSE],
            responses={
                200: s.ReferralSerializer, 404: NOT_FOUND,
                409: OpenApiResponse(description="Not allowed from the current status (`invalid-transition`), "
                                                 "or `idempotency-key-in-use`."),
                412: OpenApiResponse(description="Stale `If-Match`."),
                422: OpenApiResponse(description="`idempotency-key-reuse`."),
            },
        )  # fmt: skip
        def post(self, request, pk):
            # The side, the status and the version are checked by the service under the row lock (a refused
            # request's idempotency claim is released with its rollback).
            client = self.client()
            pii = self.pii()

            def handler():
                serializer = input_serializer(data=request.data)
                try:
                    serializer.is_valid(raise_exception=True)
                    if_match = parse_if_match(request, required=False)
                except ValidationError:
                    # Need to know before input: a non-party gets its 404 (410), the other party its 403, and
                    # only a caller who may take the action hears what is wrong with the body.
                    self.resolve_referral(pk)
                    self.require_side(transition.actor, action)
                    raise
                referral = services.referral_act(
                    referral_id=pk,
                    client=client,
                    action=action,
                    data=serializer.validated_data,
                    if_match=if_match,
                    context=audit_context(request),
                    shape=representation_shape(pii),
                )
                return self.referral_response(referral), referral.pk

            def replay(record):
                self.audit("referral.read", record.resource_id, reason="idempotent_replay")
                return self.referral_response(Referral.objects.get(pk=record.resource_id))

            return idempotent(request, client_id=client.client_id, handler=handler, replay=replay)

    ReferralActionView.__name__ = f"Referral{action.title().replace('-', '')}View"
    ReferralActionView.__qualname__ = ReferralActionView.__name__
    return ReferralActionView


ACTION_VIEWS = {action: _action_view(action) for action in STATUS_ACTIONS}

EXAMPLE_FORWARD = {
    "receiver": {"agency": "USCIS", "office": "VSC"},
    "referral_type": "relief_support",
    "person_ids": ["0b6f1d2e-8c3a-4f5b-9e7d-1a2b3c4d5e6f"],
    "summary": "Victim cooperating in HSI case; I-914 Supplement B signed",
    "note": "Declaration signed 2026-11-30; T visa application pending.",
    "disclosure_bases": [],
}


class ReferralForwardView(ReferralScopedView):
    required_scopes = WRITE

    @extend_schema(
        tags=["lifecycle"], operation_id="referrals_forward", summary="Forward people to a third agency (receiver)",
        description=(
            "The receiving agency, while the referral is `accepted` or `in_progress`, hands chosen people "
            "(`person_ids`) on to a third agency. The answer (201) is a **new referral** from your agency to that "
            "agency, whose `parent` names this one; this referral's status does not change, its `children` list "
            "the new referral (to both of its parties: the original sender learns where its referral went and how "
            "it stands, not the new referral's people or narrative) and its history records the forward. Every "
            "create rule applies to the new referral: routing (422 on `receiver.agency`), 8 U.S.C. 1367 (a "
            "protected person going to an agency not marked `may_receive_1367_protected` needs a basis in "
            "`disclosure_bases`, else 422 `disclosure-basis-required`), minors and the HHS notice, deprecated "
            "types. The priority is the original's. Emits `referral.forwarded` to this referral's parties and "
            "`referral.created` to the new one's. 403 for the sender, 409 `invalid-transition` from another "
            "status.\n\nThe lifecycle:\n\n" + lifecycle_markdown()
        ),
        request=s.ForwardInputSerializer,
        examples=[OpenApiExample("Forward a victim to USCIS", value=EXAMPLE_FORWARD, request_only=True)],
        parameters=[IF_MATCH_OPTIONAL, IDEMPOTENCY_PARAMETER, PURPOSE],
        responses={
            201: s.ReferralCreatedSerializer, 404: NOT_FOUND,
            403: OpenApiResponse(description="Only the receiving agency may forward (`permission-denied`)."),
            409: OpenApiResponse(description="Not `accepted` or `in_progress` (`invalid-transition`), or "
                                             "`idempotency-key-in-use`."),
            412: OpenApiResponse(description="Stale `If-Match`."),
            422: OpenApiResponse(description="A create rule (routing, 1367, a person not of this referral), or "
                                             "`idempotency-key-reuse`."),
        },
    )  # fmt: skip
    def post(self, request, pk):
        # The side is checked before the idempotency claim, and again by the service under the row lock.
        self.require_side(RECEIVER, "forward")
        client = self.client()

        def handler():
            serializer = s.ForwardInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            referral_type_note(request, serializer.validated_data["referral_type"])
            if_match = parse_if_match(request, required=False)
            child, duplicates = forwarding.referral_forward(
                referral_id=pk,
                client=client,
                data=serializer.validated_data,
                if_match=if_match,
                context=audit_context(request),
            )
            return self.created_response(child, duplicates), child.pk

        def replay(record):
            return self.created_response(Referral.objects.get(pk=record.resource_id), None)

        return idempotent(request, client_id=client.client_id, handler=handler, replay=replay)


class ReferralHistoryView(ReferralScopedView):
    required_scopes = READ

    @extend_schema(
        tags=["referrals"],
        operation_id="referrals_history",
        summary="Status history, oldest first",
        parameters=[PURPOSE],
        responses={200: s.StatusEventSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        events = StatusEvent.objects.filter(referral_id=pk).select_related("actor_agency")
        return self.nested_page(events, s.status_event_representation, audit_action="referral.history_read")


class ReferralNotesView(ReferralScopedView):
    required_scopes = {"GET": READ, "POST": WRITE}

    @extend_schema(
        tags=["notes"],
        operation_id="referrals_notes_list",
        summary="Notes, oldest first",
        parameters=[PURPOSE],
        responses={200: s.NoteSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        # After a recall the receiver keeps the notes' existence, author and date, not their text.
        withheld = referral_content_withheld(referral=self.referral, side=self.side)
        notes = Note.objects.filter(referral_id=pk).select_related("author_agency")
        if withheld:
            notes = notes.defer("sealed")
        return self.nested_page(
            notes, lambda note: s.note_representation(note, withheld=withheld), audit_action="referral.notes_read"
        )

    @extend_schema(
        tags=["notes"], operation_id="referrals_notes_create", summary="Add a note",
        description="Either party may add a note, at any time (notes are never edited or deleted). Say where the "
        "information came from in `information_source`.",
        request=s.NoteCreateSerializer, parameters=[PURPOSE],
        responses={201: s.NoteSerializer, 404: NOT_FOUND},
        examples=[OpenApiExample("Note", request_only=True, value={
            "body": "Victim prefers a female interviewer.", "information_source": "victim"})],
    )  # fmt: skip
    def post(self, request, pk):
        serializer = s.NoteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.note_create(
            referral_id=pk, client=self.client(), data=serializer.validated_data, context=audit_context(request)
        )
        return Response(s.note_representation(note), status=201)


class ReferralAccessLogView(ReferralScopedView):
    required_scopes = READ

    @extend_schema(
        tags=["audit"], operation_id="referrals_access_log", summary="Who read or changed this referral",
        description="Every successful read or change of this referral by either party: when, which agency and "
        "client, what (`action`), and the purpose stated in `X-Purpose-Of-Use`. Newest first. Reading the access "
        "log is itself recorded. Refused attempts by others are audited but not listed here.",
        parameters=[PURPOSE], responses={200: AccessLogEntrySerializer(many=True), 404: NOT_FOUND},
    )  # fmt: skip
    def get(self, request, pk):
        entries = audit_entries_for_object(object_type="referral", object_id=str(pk)).filter(outcome="success")
        return self.nested_page(
            entries,
            lambda entry: AccessLogEntrySerializer(entry).data,
            audit_action="referral.access_log_read",
            pagination=KeysetPagination(ordering=("occurred_at", "public_id"), descending=True),
        )


class PersonProtectionView(ReferralScopedView):
    """``POST referrals/{id}/persons/{person_id}/protection/``: either party flags 8 U.S.C. 1367 protection."""

    required_scopes = WRITE

    @extend_schema(
        tags=["referrals"], operation_id="referrals_person_protection", summary="Protect a person (8 U.S.C. 1367)",
        description="Either party flags a person as protected by 8 U.S.C. 1367 (applied for or holds T, U or VAWA "
        "relief; 1367(a)(2)), with what the protection rests on and, if known, when it ends; the receiver is often "
        "the one that knows. Protection can only be added or its end date changed, never removed through the API "
        "(422 otherwise). If the receiving agency is not `may_receive_1367_protected` and the person has no "
        "`disclosure_basis`, the person is masked for the receiver from then on (`masked: true`, `withheld: "
        "\"1367\"`) whatever its scopes; the sender always sees what it sent. Only while the referral is open "
        "(409 `invalid-transition` otherwise). Emits `referral.protection_changed` (person id and which party, no "
        "PII). Answers 200 with the referral. See docs/legal-rules.md.",
        request=s.ProtectionInputSerializer,
        parameters=[IF_MATCH_OPTIONAL, PURPOSE],
        examples=[OpenApiExample("Protect", request_only=True, value={
            "protected_1367": True, "protection_basis": "t_visa", "protection_ends_on": "2030-06-30"})],
        responses={200: s.ReferralSerializer,
                   404: OpenApiResponse(description="No such referral or person, or your agency is not a party "
                                                    "(`not-found`)."),
                   409: OpenApiResponse(description="The referral is terminal (`invalid-transition`)."),
                   412: OpenApiResponse(description="Stale `If-Match`."),
                   422: OpenApiResponse(description="Removing protection or changing its basis.")},
    )  # fmt: skip
    def post(self, request, pk, person_id):
        serializer = s.ProtectionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if_match = parse_if_match(request, required=False)
        referral = services.person_protection_set(
            referral_id=pk, person_id=person_id, client=self.client(), data=serializer.validated_data,
            if_match=if_match, context=audit_context(request),
        )  # fmt: skip
        return self.referral_response(referral)


class HhsNotificationView(ReferralScopedView):
    """``POST referrals/{id}/hhs-notification/``: either party records the HHS child notice."""

    required_scopes = WRITE

    @extend_schema(
        tags=["referrals"], operation_id="referrals_hhs_notification", summary="Record the HHS child notice",
        description="Federal officials must notify HHS within 24 hours of discovering that a foreign national minor "
        "may be a trafficking victim (TVPRA of 2008, 22 U.S.C. 7105(b)(1)(G)); HHS's Office on Trafficking in "
        "Persons takes these as Requests for Assistance in Shepherd, which gives a request number. Either party "
        "records when and how it was done (`request_number` required for `shepherd`). 409 `invalid-transition` "
        "when no notice is required for this referral or one is already recorded. A notice recorded after "
        "`due_by` is no longer `overdue` and counts as late in the statistics. Emits `referral.hhs_notified`.",
        request=s.HhsNotificationInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER, PURPOSE],
        examples=[OpenApiExample("Shepherd", request_only=True, value={
            "notified_at": "2026-11-28T21:10:00Z", "method": "shepherd", "request_number": "RFA-2026-004217"})],
        responses={200: s.ReferralSerializer, 404: NOT_FOUND,
                   409: OpenApiResponse(description="No notice required, or already recorded (`invalid-transition`)."),
                   422: OpenApiResponse(description="`notified_at` in the future, or `idempotency-key-reuse`.")},
    )  # fmt: skip
    def post(self, request, pk):
        client = self.client()

        def handler():
            serializer = s.HhsNotificationInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            referral = services.hhs_notification_record(
                referral_id=pk, client=client, data=serializer.validated_data, context=audit_context(request)
            )
            return self.referral_response(referral), referral.pk

        def replay(record):
            return self.referral_response(Referral.objects.get(pk=record.resource_id))

        return idempotent(request, client_id=client.client_id, handler=handler, replay=replay)
