"""The Django admin site: a second factor (TOTP, django-otp) for staff, and login throttling.

* ``ADMIN_OTP_REQUIRED`` (default: on in production, off in development): only users verified by a confirmed
  TOTP device (django-otp's ``otp_totp`` plugin, RFC 6238) count as staff; the login form asks for the code.
  The first superuser's device is created from the command line (``manage.py admin_otp_add USERNAME``, see
  docs/operations.md); later devices are added by a verified admin under "TOTP devices".
* ``ADMIN_LOGIN_RATE_LIMIT`` (default ``10/min``): failed admin logins per client address (Redis, shared by
  every worker); over it, 429 before the password is even checked.

django-otp was chosen over hand-written TOTP: it is the maintained Django implementation (drift tolerance,
replay protection of a used code, throttling of wrong codes per device).
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpResponse
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from referral_api.client_address import client_address
from referral_api.throttling import AuthFailureThrottle


class AdminLoginThrottle(AuthFailureThrottle):
    """``ADMIN_LOGIN_RATE_LIMIT`` failed admin logins per client address."""

    scope = "admin-login"

    def get_rate(self):
        return settings.ADMIN_LOGIN_RATE_LIMIT

    def get_cache_key(self, request, view):
        address = client_address(request)
        return self.cache_format % {"scope": self.scope, "ident": address} if address else None


class ReferralAdminSite(OTPAdminSite):
    """The admin site; TOTP is required when ``ADMIN_OTP_REQUIRED`` is on (read per request)."""

    def __init__(self, name="admin"):
        AdminSite.__init__(self, name)

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.ADMIN_OTP_REQUIRED else AdminAuthenticationForm

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.ADMIN_OTP_REQUIRED else None

    def has_permission(self, request):
        allowed = AdminSite.has_permission(self, request)
        if allowed and settings.ADMIN_OTP_REQUIRED:
            return request.user.is_verified()
        return allowed

    def login(self, request, extra_context=None):
        throttle = AdminLoginThrottle()
        if request.method == "POST" and not throttle.peek(request):
            wait = max(1, math.ceil(throttle.wait() or 1))
            response = HttpResponse(
                f"Too many failed sign-ins from this address; retry in {wait} seconds.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(wait)
            return response
        response = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 200:
            throttle.record(request)  # the form came back: wrong password or code
        return response
