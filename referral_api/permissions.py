"""Scope checks: every API view names the OAuth scopes each of its operations needs, or it is refused."""

from __future__ import annotations

from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import BasePermission

from referral_api.problems import InsufficientScope


def required_scopes(view, method: str) -> list[str] | None:
    """Return the scopes ``view`` needs for ``method`` (``None``: the view declared none, so deny).

    ``view.required_scopes`` is a list (every method), or a dict keyed by viewset action or HTTP method.
    """
    declared = getattr(view, "required_scopes", None)
    if declared is None:
        return None
    if isinstance(declared, dict):
        action = getattr(view, "action", None)
        if action is not None and action in declared:
            return list(declared[action])
        if method in declared:
            return list(declared[method])
        if method in ("HEAD", "OPTIONS") and "GET" in declared:
            return list(declared["GET"])
        return None
    return list(declared)


class TokenHasRequiredScope(BasePermission):
    """Deny by default: a bearer token is required, and it must carry every scope the operation names.

    RFC 6750 §3.1: a valid token without the needed scope gets 403 ``insufficient_scope``.
    """

    def has_permission(self, request, view):
        return self.permits(request.auth, view, request.method)

    @staticmethod
    def permits(token, view, method: str) -> bool:
        """``has_permission`` for ``token`` calling ``method`` on ``view``: True, or the refusal raised.

        Depends on nothing but its arguments, so the client rate limit can tell, while the token is being
        checked, whether DRF will reach the throttle with this token (``referral_api.throttling``).
        """
        if token is None:
            raise NotAuthenticated()
        if not hasattr(view, method.lower()) and method not in ("HEAD", "OPTIONS"):
            return True  # no such operation: the view answers 405 (after authentication)
        needed = required_scopes(view, method)
        if needed is None:
            # A view that forgot to declare its scopes is closed, never open.
            raise PermissionDenied("This operation is not available to API clients.")
        granted = effective_scopes(token)
        if not set(needed) <= granted:
            raise InsufficientScope(needed)
        return True


def client_of(request):
    """Return the ``agencies.Client`` that made ``request`` (DRF request)."""
    return request.auth.application


def effective_scopes(token) -> set[str]:
    """The scopes a token may use now: those it was issued with that its client is still allowed.

    Narrowing a client's allowed scopes (admin or ``manage.py agency_client_set_scopes``) therefore takes
    effect on its live tokens at the next request: the client row comes with the token (from the token cache,
    which a client change makes stale at once, see referral_api/authentication.py), so this costs no query.
    """
    if token is None:
        return set()
    client = token.application
    granted = set((token.scope or "").split())
    if client is None:
        return set()
    return granted & set((client.allowed_scopes or "").split())


def has_scope(request, scope: str) -> bool:
    """Return whether the caller's token may use ``scope`` now (see ``effective_scopes``)."""
    return request.auth is not None and scope in effective_scopes(request.auth)
