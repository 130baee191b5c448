from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.api.serializers import AgencyDirectorySerializer, MeSerializer
from agencies.selectors import agencies_directory
from referral_api.pagination import KeysetPagination


class MeView(APIView):
    """The calling client, its agency and the scopes of the token used."""

    required_scopes: list[str] = []

    @extend_schema(
        tags=["identity"],
        operation_id="me",
        summary="Who am I",
        responses={200: MeSerializer},
        examples=[
            OpenApiExample(
                "CBP client",
                value={
                    "client_id": "k3v9Jw2...",
                    "client_name": "OFO case system",
                    "agency": {"code": "CBP", "name": "U.S. Customs and Border Protection"},
                    "scopes": ["referrals:read", "referrals:write"],
                },
            )
        ],
    )
    def get(self, request):
        client = request.auth.application
        return Response(
            {
                "client_id": client.client_id,
                "client_name": client.name,
                "agency": {"code": client.agency.code, "name": client.agency.name},
                "scopes": sorted(request.auth.scope.split()),
            }
        )


class AgencyDirectoryView(APIView):
    """The directory of active agencies: offices, accepted referral types, 8 U.S.C. 1367 eligibility."""

    required_scopes: list[str] = []

    @extend_schema(
        tags=["identity"],
        operation_id="agencies_list",
        summary="Agency directory",
        responses={200: AgencyDirectorySerializer(many=True)},
    )
    def get(self, request):
        # Paged like every list (code order, 50 a page by default), though a directory rarely fills one page.
        paginator = KeysetPagination(ordering=("code", "id"), descending=False)
        agencies = paginator.paginate_queryset(agencies_directory(), request, view=self)
        rows = [
            {
                "code": agency.code,
                "name": agency.name,
                "offices": [{"code": o.code, "name": o.name} for o in agency.offices.all()],
                "accepts_referral_types": [r.referral_type for r in agency.routes.all()],
                "may_receive_1367_protected": agency.may_receive_1367_protected,
            }
            for agency in agencies
        ]
        return paginator.get_paginated_response(rows)
