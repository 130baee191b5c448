"""Test-only URLconf: the real routes plus views that fail, to check what a 500 discloses."""

from django.db import connection
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from referral_api.urls import handler400, handler403, handler404, handler500  # noqa: F401
from referral_api.urls import urlpatterns as real_urlpatterns

SECRET_MESSAGE = "db password is hunter2 at /srv/app/settings.py"


class BoomView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def get(self, request):
        raise RuntimeError(SECRET_MESSAGE)


class SqlBoomView(BoomView):
    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT secret_column FROM no_such_table_for_tests")
        return Response({})


def django_boom(request):
    raise RuntimeError(SECRET_MESSAGE)


urlpatterns = [
    path("api/v1/test-boom/", BoomView.as_view()),
    path("api/v1/test-boom-sql/", SqlBoomView.as_view()),
    path("test-boom-plain/", django_boom),
    *real_urlpatterns,
]
