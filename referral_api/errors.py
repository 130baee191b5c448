"""The kinds of refusal a service can raise, without any HTTP in them.

Each app raises these (or its own subclasses, from its ``errors.py``); ``referral_api.problems.DOMAIN_ERRORS`` is
the one table that maps a kind to an HTTP status and problem slug. A service never imports an HTTP status, and
a view never translates a service's exception by hand.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal by the domain: ``detail`` for a human, ``extra`` members for the problem body."""

    default_detail = ""

    def __init__(self, detail: str | None = None, **extra: Any):
        self.detail = detail or self.default_detail
        self.extra = extra
        super().__init__(self.detail)


class NotVisible(DomainError):
    """The object does not exist for the caller: need to know makes "not yours" and "no such" the same answer."""

    default_detail = "No such resource, or you may not see it."


class Gone(DomainError):
    """The object existed and is gone for good: a referral disposed of under its retention policy, a feed cursor
    older than the oldest kept event. Only those who could see it are told (others get ``NotVisible``)."""

    default_detail = "This referral was disposed of under its retention policy; only its tombstone remains."


class WrongSide(DomainError):
    """The caller is a party, but the action belongs to the other party."""

    default_detail = "You may not do this."


class InvalidTransition(DomainError):
    """The object's current state does not allow this (``allowed_actions`` says what does)."""

    default_detail = "This action is not allowed from the referral's current status."


class _FieldError(DomainError):
    def __init__(self, detail: str, *, field: str, code: str, **extra: Any):
        super().__init__(detail, errors=[{"field": field, "code": code, "message": detail}], **extra)


class InvalidInput(_FieldError):
    """Input that is malformed for the object it is about (checked by the service, which alone has the object
    under its lock): a 400 naming the field, like any malformed body."""


class RuleViolation(_FieldError):
    """Well-formed input that breaks a business rule (routing, 8 U.S.C. 1367, ...), naming the field."""


class WaiverRequiresAdults(RuleViolation):
    """8 U.S.C. 1367(b)(4) lets a waiver lift the protection only when *all* the individuals in the case are
    adults; one minor in the referral voids it."""


class DisclosureBasisRequired(RuleViolation):
    """8 U.S.C. 1367(a)(2) forbids disclosing a protected person to an agency not allowed to receive the
    information unless an exception of 1367(b) is recorded for that person."""


class Conflict(_FieldError):
    """A value that must be unique is already taken (e.g. ``external_reference``)."""

    def __init__(self, detail: str, *, field: str, code: str = "unique", **extra: Any):
        super().__init__(detail, field=field, code=code, **extra)


class PreconditionFailed(DomainError):
    """The object changed since the version the caller names (RFC 9110 §13.1.1)."""

    default_detail = "The referral has changed since the version named in If-Match; read it again."


class UnsupportedContent(DomainError):
    """Content of a kind the service does not accept (decided by the content, never its name)."""


class Unavailable(DomainError):
    """A service this operation needs cannot answer now; ``retry_after`` seconds is a fair wait."""

    def __init__(self, detail: str | None = None, *, retry_after: int = 5, **extra: Any):
        super().__init__(detail, **extra)
        self.retry_after = retry_after


class Corrupt(DomainError):
    """Stored data failed its integrity check; nothing of it is served."""
