"""Rules a referral must meet, each citing where it comes from. ``check_*`` return the refusal to raise, or
``None``; ``require_*`` raise it."""

from __future__ import annotations

from agencies.models import Agency, ReferralType
from agencies.selectors import route_allows
from referrals import deadlines
from referrals.errors import RuleViolation, WrongSide
from referrals.lifecycle import RECEIVER, SENDER
from referrals.models import Referral
from referrals.selectors import referral_side

SIDE_WORDS = {SENDER: "sending", RECEIVER: "receiving"}


def require_side(*, referral: Referral, agency: Agency, side: str, verb: str) -> None:
    """Only the sending agency edits, answers and withdraws; only the receiving agency decides (domain.md,
    "Lifecycle"). Raise ``WrongSide`` when ``agency`` is not the referral's ``side``.

    The one side check: the views call it before an idempotency claim, and the services again under the row lock.
    """
    if referral_side(referral, agency) != side:
        raise WrongSide(f"Only the {SIDE_WORDS[side]} agency may {verb} a referral.")


def check_routing(*, referral_type: str, receiver: Agency) -> RuleViolation | None:
    """The routing table decides which agency may receive which referral type (api-contract.md, 422)."""
    if not route_allows(referral_type=referral_type, agency=receiver):
        return RuleViolation(
            f"{receiver.code} does not receive {referral_type} referrals (see GET /api/v1/agencies/).",
            field="receiver.agency",
            code="routing_not_allowed",
        )
    return None


def check_1367(*, persons: list[dict], receiver: Agency, consent_obtained: bool) -> RuleViolation | None:
    """8 U.S.C. 1367(a)(2): information about a protected person goes only to an agency allowed to receive it,
    unless the person's written consent is recorded (1367(b)(3))."""
    if receiver.may_receive_1367_protected or consent_obtained:
        return None
    for index, person in enumerate(persons):
        if person.get("protected_1367"):
            return RuleViolation(
                f"{receiver.code} may not receive information about a person protected by 8 U.S.C. 1367 "
                "without the person's recorded written consent.",
                field=f"persons[{index}].protected_1367",
                code="protected_1367_not_allowed",
            )
    return None


def check_not_self(*, sender: Agency, receiver: Agency) -> RuleViolation | None:
    """A referral goes from one agency to another; within an agency it is that agency's own business."""
    if sender.pk == receiver.pk:
        return RuleViolation("A referral must go to another agency.", field="receiver.agency", code="same_agency")
    return None


def check_extension_names_granted_cp(*, referral_type: str, related) -> RuleViolation | None:
    """A ``continued_presence_extension`` extends a granted Continued Presence (28 C.F.R. 1100.35): it must name,
    in ``related_referral``, a continued_presence (or extension) referral completed as granted.

    ``related`` is already resolved through need to know: one the sender cannot see never gets here, it is
    "no such referral" like one that does not exist.
    """
    if referral_type != ReferralType.CONTINUED_PRESENCE_EXTENSION:
        return None
    if related is None:
        return RuleViolation(
            "A continued_presence_extension needs related_referral: the granted continued_presence referral it "
            "extends.",
            field="related_referral",
            code="required",
        )
    granted = (
        related.referral_type in deadlines.CONTINUED_PRESENCE_TYPES
        and related.status == "completed"
        and related.outcome_code == deadlines.CONTINUED_PRESENCE_GRANTED
    )
    if not granted:
        return RuleViolation(
            "related_referral must be a continued_presence or continued_presence_extension referral completed "
            "with outcome continued_presence_granted.",
            field="related_referral",
            code="not_granted_continued_presence",
        )
    return None
