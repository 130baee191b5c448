"""Liveness and readiness probes (no authentication, no PII)."""

from django.db import connection
from django.http import JsonResponse

from referral_api.problems import problem_response


def healthz(request):
    """The process is alive (no database access)."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """The database answers; otherwise 503 problem+json."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure to reach the database means "not ready"
        return problem_response(
            request, 503, "service-unavailable", "The database is unavailable.", headers={"Retry-After": "5"}
        )
    return JsonResponse({"status": "ready"})
