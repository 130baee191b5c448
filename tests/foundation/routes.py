"""Every route under /api/v1/, found from the URL resolver (so routes added later are covered automatically)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from referral_api.permissions import required_scopes

API_PREFIX = "/api/v1/"
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _route_to_path(route: str) -> str:
    def replace(match: re.Match) -> str:
        return "1" if match.group("converter") == "int" else str(uuid.uuid4())

    return _CONVERTER.sub(replace, route)


def _regex_to_path(regex: str) -> str:
    """Turn a simple URL regex into a concrete path: named groups become UUIDs, anchors and escapes go."""
    out = []
    index = 0
    while index < len(regex):
        if regex.startswith("(?P<", index):
            depth = 0
            end = index
            while end < len(regex):
                if regex[end] == "\\":
                    end += 2
                    continue
                if regex[end] == "(":
                    depth += 1
                elif regex[end] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                end += 1
            out.append(str(uuid.uuid4()))
            index = end + 1
            continue
        char = regex[index]
        if char == "\\" and index + 1 < len(regex):
            out.append(regex[index + 1])
            index += 2
            continue
        if char not in "^$":
            out.append(char)
        index += 1
    return "".join(out)


def _pattern_to_path(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_to_path(str(pattern))
    if isinstance(pattern, RegexPattern):
        return _regex_to_path(pattern.regex.pattern)
    raise TypeError(f"unknown pattern type {type(pattern).__name__}")


def _walk(patterns, prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + _pattern_to_path(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + _pattern_to_path(entry.pattern), str(entry.pattern), entry.callback


@dataclass(frozen=True)
class Operation:
    path: str
    route: str
    method: str
    view_class: type
    actions: tuple | None

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}"

    @property
    def has_path_params(self) -> bool:
        return "<" in self.route or "(?P" in self.route

    def view(self):
        """An instance of the view, as DRF would set it up for this method (``action`` for viewsets)."""
        view = self.view_class()
        if self.actions:
            view.action = dict(self.actions).get(self.method.lower())
        return view

    def scopes(self) -> list[str] | None:
        return required_scopes(self.view(), self.method)


def api_operations() -> list[Operation]:
    """Each (route, method) under /api/v1/ that a DRF view answers; OPTIONS and HEAD are left out."""
    operations = []
    seen = set()
    for path, route, callback in _walk(get_resolver().url_patterns, "/"):
        if not path.startswith(API_PREFIX) or "format" in route:
            continue
        view_class = getattr(callback, "cls", None)
        if view_class is None:
            # A plain Django view under /api/v1/ would escape the scope checks entirely.
            raise AssertionError(f"{path} is not served by a DRF view")
        match = resolve(path)
        assert match.func is callback, f"the generated path {path} does not resolve to its own view"
        actions = getattr(callback, "actions", None)
        if actions:
            methods = [m.upper() for m in actions]
        else:
            methods = [m.upper() for m in view_class.http_method_names if hasattr(view_class, m)]
        for method in methods:
            if method in ("OPTIONS", "HEAD") or (route, method) in seen:
                continue
            seen.add((route, method))
            operations.append(
                Operation(
                    path=path,
                    route=route,
                    method=method,
                    view_class=view_class,
                    actions=tuple(actions.items()) if actions else None,
                )
            )
    return operations


def make_token(*, agency: str = "CBP", scopes: list[str]) -> str:
    """A client of ``agency`` and a live access token carrying ``scopes`` (possibly none), written straight to the
    database (``tests.factories``)."""
    from tests.factories import AccessTokenFactory, AgencyFactory, ClientFactory

    client = ClientFactory(agency=AgencyFactory(code=agency), scopes=scopes or sorted(settings.PARTNER_SCOPES))
    return AccessTokenFactory(application=client, scope=" ".join(scopes)).raw
