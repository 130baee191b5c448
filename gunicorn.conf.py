"""gunicorn settings for the API: ``gunicorn -c gunicorn.conf.py referral_api.wsgi``.

Sized for a small host by default (workers x threads from the CPU count); override with the environment:
``GUNICORN_BIND``, ``GUNICORN_WORKERS``, ``GUNICORN_THREADS``, ``GUNICORN_TIMEOUT``, ``GUNICORN_ACCESS_LOG``.
The API already logs one JSON line per request (referral_api.middleware), so gunicorn's own access log is off
unless asked for. See docs/performance.md for how these numbers were chosen.
"""

from __future__ import annotations

import multiprocessing
import os

import gunicorn
import gunicorn.http.wsgi

# No product or version in the ``Server`` header (it only helps an attacker pick exploits). The response
# module copied the banner at import, so it is replaced there too.
gunicorn.SERVER = gunicorn.SERVER_SOFTWARE = "-"
gunicorn.http.wsgi.SERVER = gunicorn.http.wsgi.SERVER_SOFTWARE = "-"

_cores = multiprocessing.cpu_count()

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threaded workers: requests spend much of their time waiting on PostgreSQL and Redis, so a few threads per
# process keep the CPUs busy without one process per request (and one database connection per thread).
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * _cores))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# A request that runs longer than this is killed (the database statement timeout is 30 s, see settings).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 35))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak cannot grow without bound (jitter avoids all at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = 2000
# Requests are small JSON; refuse absurd request lines and header blocks early.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# The app logs each request as JSON; gunicorn's access log is off unless GUNICORN_ACCESS_LOG names a file
# ("-" for stdout).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# Trust X-Forwarded-* only from the proxy on this host.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "referral-api"
