"""WSGI entry point (gunicorn ``referral_api.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_api.settings")
application = get_wsgi_application()
