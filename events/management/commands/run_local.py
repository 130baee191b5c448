"""Development server: the API on http://HOST:PORT, plus a Celery worker when Redis is reachable."""

import os
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the API and its docs for local development, with a webhook worker when Redis is up."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("run_local is for development (DJANGO_DEBUG=true); deploy with gunicorn.")
        worker = None
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write("Redis not reachable: webhooks are delivered in-process (no worker).")
            self._start_inline_sweeper()
        else:
            celery = os.path.join(os.path.dirname(sys.executable), "celery")
            worker = subprocess.Popen([celery, "-A", "referral_api", "worker", "-B", "-l", "warning", "-c", "2"])  # noqa: S603
            self.stdout.write("Started a Celery worker for webhook delivery.")
        self.stdout.write(
            f"API:  http://{options['host']}:{options['port']}/api/v1/   "
            f"Docs: http://{options['host']}:{options['port']}/api/docs/"
        )
        try:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)

    def _start_inline_sweeper(self):
        """Without a worker or beat, retries and left-behind deliveries are sent by a thread in this process."""
        from django.conf import settings
        from django.db import connection

        from events.delivery import deliveries_sweep

        def sweep_forever():
            stop = threading.Event()
            while not stop.wait(settings.WEBHOOK_SWEEP_INTERVAL_SECONDS):
                try:
                    deliveries_sweep(grace_seconds=0, deliver_inline=True)
                except Exception:  # noqa: BLE001 - keep sweeping; the next round retries
                    self.stderr.write("webhook sweep failed; retrying at the next interval")
                finally:
                    connection.close()

        threading.Thread(target=sweep_forever, name="webhooks-sweeper", daemon=True).start()
