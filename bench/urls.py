"""The product's URLs plus the benchmark baselines under /bench/ (mounted only by bench.settings)."""

from django.urls import path

from bench import baselines
from referral_api.urls import *  # noqa: F403
from referral_api.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/b0/", baselines.b0_constant, name="bench-b0"),
    path("bench/b1/", baselines.b1_insert, name="bench-b1"),
    path("bench/b2/", baselines.B2AuthOnly.as_view(), name="bench-b2"),
    *product_urlpatterns,
]
