"""Settings for the benchmark server only: the product settings plus the baseline views (bench/urls.py).

Never used by the product: the baselines are reachable only when DJANGO_SETTINGS_MODULE=bench.settings.
"""

from referral_api.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
