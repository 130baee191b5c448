"""WSGI entry point (gunicorn ``referral_api.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_api.settings")
application = get_wsgi_application()

# Production refuses to serve with a database role that could rewrite the audit log (development warns).
from referral_api.dbroles import enforce_app_role  # noqa: E402

enforce_app_role()
