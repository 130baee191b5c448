"""Baselines served by the same gunicorn, settings and middleware as the API (see docs/performance.md).

* B0: a plain Django view returning constant JSON: the floor of the stack (gunicorn, WSGI, middleware).
* B1: a plain Django view that parses a JSON body and INSERTs one row of it in a transaction.
* B2: a DRF view that only authenticates the bearer token (and checks a scope), then returns constant JSON.
"""

from __future__ import annotations

import uuid

import orjson
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response
from rest_framework.views import APIView

CONSTANT = orjson.dumps({"status": "ok", "items": [1, 2, 3], "name": "baseline"})
TABLE_SQL = """
CREATE TABLE IF NOT EXISTS bench_row (
    id uuid PRIMARY KEY,
    created_at timestamptz NOT NULL,
    payload jsonb NOT NULL
)
"""


def b0_constant(request):
    return HttpResponse(CONSTANT, content_type="application/json")


@csrf_exempt
def b1_insert(request):
    if request.method != "POST":
        return HttpResponse(status=405)
    payload = orjson.loads(request.body)
    row_id = uuid.uuid4()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_row (id, created_at, payload) VALUES (%s, %s, %s)",
            [row_id, timezone.now(), orjson.dumps(payload).decode()],
        )
    return HttpResponse(orjson.dumps({"id": str(row_id)}), status=201, content_type="application/json")


class B2AuthOnly(APIView):
    """Default authentication (bearer token) and scope check; no throttle, no database work of its own."""

    required_scopes = ["referrals:read"]
    throttle_classes: list = []

    def get(self, request):
        return Response({"status": "ok", "items": [1, 2, 3], "name": "baseline"})
