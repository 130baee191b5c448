"""Celery application (webhook delivery workers): ``celery -A referral_api worker``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_api.settings")

app = Celery("referral_api")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
