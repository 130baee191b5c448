"""The operators' dashboard inside the Django admin, at ``/admin/dashboard/`` (staff only), linked from the index.

Django's admin builds its URLs from ``AdminSite.get_urls``; wrapping that one method of the default site adds the
dashboard without touching the project's URL map or replacing the site.
"""

from __future__ import annotations

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path

from stats.dashboard import dashboard_context

site = admin.site


def dashboard_view(request):
    """The dashboard page (``admin_view`` makes it staff-only, never cached, CSRF-safe)."""
    context = {
        **site.each_context(request),
        "title": "Operations dashboard",
        "is_nav_sidebar_enabled": False,  # the page needs the width for its charts and tables
        **dashboard_context(),
    }
    return TemplateResponse(request, "stats/dashboard.html", context)


def _wrap_get_urls(original):
    def get_urls():
        return [path("dashboard/", site.admin_view(dashboard_view), name="dashboard"), *original()]

    get_urls.dashboard_installed = True
    return get_urls


if not getattr(site.get_urls, "dashboard_installed", False):
    site.get_urls = _wrap_get_urls(site.get_urls)
    # The admin index links to the dashboard (the template extends Django's own index).
    site.index_template = "stats/admin_index.html"
