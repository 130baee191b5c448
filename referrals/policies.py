"""Rules a referral must meet, each citing where it comes from. ``check_*`` return the refusal to raise, or
``None``; ``require_*`` raise it."""

from __future__ import annotations

from agencies.models import Agency, ReferralType
from agencies.selectors import route_allows
from referrals import deadlines
from referrals.codes import DisclosureException
from referrals.errors import DisclosureBasisRequired, RuleViolation, WaiverRequiresAdults, WrongSide
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


def check_routing(*, referral_type: str, receiver: Agency, routed: bool | None = None) -> RuleViolation | None:
    """The routing table decides which agency may receive which referral type (api-contract.md, 422).
    ``routed`` is the table's answer when the caller already read it with the agency (one query)."""
    if routed is None:
        routed = route_allows(referral_type=referral_type, agency=receiver)
    if not routed:
        return RuleViolation(
            f"{receiver.code} does not receive {referral_type} referrals (see GET /api/v1/agencies/).",
            field="receiver.agency",
            code="routing_not_allowed",
        )
    return None


def check_1367(*, persons: list[dict], minors: list[bool], receiver: Agency) -> RuleViolation | None:
    """8 U.S.C. 1367(a)(2): information about a person who applied for or holds T, U or VAWA relief may go only
    to those allowed to receive it (here: an agency marked ``may_receive_1367_protected``) unless one of the
    exceptions of 1367(b) applies **to that person**, recorded as ``disclosure_basis``:

    * (b)(2) law enforcement purpose, (b)(5) benefit eligibility, (b)(6) nonprofit victim services: the
      ``authority`` relied on;
    * (b)(4) waiver: the person's own signed waiver (``waiver_signed_on``), void when any individual in the case
      is a minor ("all the battered individuals in the case are adults"), so a waiver in a referral naming a
      minor is refused with ``waiver-requires-adults`` whatever the receiver.

    Referral-level ``consent`` is consent to services and never lifts the protection (domain.md).
    """
    any_minor = any(minors)
    for index, person in enumerate(persons):
        basis = person.get("disclosure_basis")
        if basis and basis.get("exception") == DisclosureException.B4_WAIVER and any_minor:
            return WaiverRequiresAdults(
                "A b4_waiver lifts 8 U.S.C. 1367 only when every person in the referral is an adult "
                "(1367(b)(4)); this referral names a minor. Rely on another exception of 1367(b), or send the "
                "referral to an agency allowed to receive protected information.",
                field=f"persons[{index}].disclosure_basis.exception",
                code="waiver_requires_adults",
            )
    if receiver.may_receive_1367_protected:
        return None
    for index, person in enumerate(persons):
        if person.get("protected_1367") and not person.get("disclosure_basis"):
            return DisclosureBasisRequired(
                f"{receiver.code} may not receive information about a person protected by 8 U.S.C. 1367 "
                "without a recorded exception of 1367(b) for that person: send persons[i].disclosure_basis "
                "with exception b2_law_enforcement, b4_waiver, b5_benefits or b6_victim_services.",
                field=f"persons[{index}].disclosure_basis",
                code="disclosure_basis_required",
            )
    return None


def check_not_self(*, sender: Agency, receiver: Agency) -> RuleViolation | None:
    """A referral goes from one agency to another; within an agency it is that agency's own business."""
    if sender.pk == receiver.pk:
        return RuleViolation("A referral must go to another agency.", field="receiver.agency", code="same_agency")
    return None


def person_withheld(*, person, referral, side: str | None) -> str | None:
    """Why ``person`` is masked for a party on ``side`` whatever its scopes: ``"recall"``, ``"1367"`` or ``None``.

    * ``recall``: the sender recalled the referral (sent in error); from then on the receiver sees no person
      data (domain.md, "Sent in error").
    * ``1367``: 8 U.S.C. 1367(a)(2). The person is protected, the receiving agency is not marked to receive
      protected information and no 1367(b) exception is recorded for the person (flagged after the referral
      went out, or the agency's mark was removed): the receiver no longer sees who the person is. Protection
      only ever narrows who sees what; the sender always sees what it sent.
    """
    if side != "receiver":
        return None
    if referral.status == "recalled":
        return "recall"
    if (
        person.protected_1367
        and not referral.receiver_agency.may_receive_1367_protected
        and not person.disclosure_exception
    ):
        return "1367"
    return None


def referral_content_withheld(*, referral, side: str | None) -> bool:
    """After a recall the receiver keeps the referral's existence, status, reference and history only: no
    narrative, case, note text or attachment content, name or description (domain.md, "Sent in error")."""
    return side == "receiver" and referral.status == "recalled"


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
