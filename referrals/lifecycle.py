"""The lifecycle table: the one source of truth for who may take which action from which status, with which
body, and what the action records.

The services, ``allowed_actions``, the action input serializers, the OpenAPI description and request bodies,
and the tests all read ``TRANSITIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import TextChoices

from referrals.codes import OutcomeCode, RejectReason
from referrals.models import TERMINAL_STATUSES, Status

SENDER = "sender"
RECEIVER = "receiver"
NON_TERMINAL = frozenset(s for s in Status if s not in TERMINAL_STATUSES)


@dataclass(frozen=True)
class ActionField:
    """One member of an action's request body. ``choices`` makes it a code from a published list; otherwise it
    is text of at most ``max_length`` characters (several lines if ``multiline``)."""

    name: str
    example: str
    required: bool = True
    choices: type[TextChoices] | None = None
    max_length: int = 5000
    multiline: bool = True
    help_text: str = ""
    # A code the caller makes up (e.g. a case number): this pattern instead of free text.
    pattern: str | None = None
    # A JSON object: the name of its input serializer in referrals/api/serializers.py (e.g. continued_presence).
    object_serializer: str | None = None


@dataclass(frozen=True)
class Transition:
    """One row of the lifecycle: who takes ``action`` from which ``sources`` to which ``target``.

    ``fields`` is the action's whole request body (anything else is refused); ``reason`` and ``reason_code`` name
    the fields the status event records as its reason; ``stamps`` are the referral columns the action sets: a
    column named like one of ``fields`` is copied from the input when given, any other is a timestamp set to the
    time of the action if it is still empty.
    """

    action: str
    actor: str  # SENDER or RECEIVER
    sources: frozenset[str]
    target: str | None  # None: the status does not change (``forward`` makes a new referral instead)
    fields: tuple[ActionField, ...] = ()
    reason: str | None = None
    reason_code: str | None = None
    stamps: tuple[str, ...] = ()
    description: str = ""

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if not f.required)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def example_body(self) -> dict:
        """A valid request body: every field with its example value (an object field only goes with some
        outcomes, e.g. ``continued_presence``, and is left out)."""
        return {f.name: f.example for f in self.fields if f.object_serializer is None}


def _text(name: str, example: str, **kwargs) -> ActionField:
    return ActionField(name, example, **kwargs)


def _code(name: str, choices: type[TextChoices], example: str) -> ActionField:
    return ActionField(name, example, choices=choices)


# The receiver's own case number (an HSI case, a USCIS receipt number): a code, never free text, so it can be
# stored in the clear and matched exactly by the ``receiver_reference`` filter.
RECEIVER_REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/:#-]{0,99}$"
RECEIVER_REFERENCE = ActionField(
    "receiver_reference", "HSI-SD-2026-0117", required=False, max_length=100, multiline=False,
    pattern=RECEIVER_REFERENCE_PATTERN,
    help_text="Your agency's own case number for this referral (an HSI case, a USCIS receipt number): 1-100 "
    "letters, digits and . _ - / : #. Shown to both parties; filter with `receiver_reference=`.",
)  # fmt: skip
CONTINUED_PRESENCE = ActionField(
    "continued_presence", {"effective_on": "2026-12-01", "expires_on": "2028-11-30"},  # type: ignore[arg-type]
    required=False, object_serializer="ContinuedPresenceSerializer",
    help_text="Required when a continued_presence or continued_presence_extension referral is completed with "
    "continued_presence_granted (400 without it, or with dates more than two years apart); refused otherwise.",
)  # fmt: skip


# Any answer from the receiver stops the acknowledgement clock (domain.md, "Deadlines"): every receiver decision
# stamps ``acknowledged_at`` the first time.
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("acknowledge", RECEIVER, frozenset({Status.SUBMITTED}), Status.ACKNOWLEDGED,
                   stamps=("acknowledged_at",),
                   description="The receiver has seen the referral (stops the acknowledgement clock)."),
        Transition("accept", RECEIVER, frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED}), Status.ACCEPTED,
                   fields=(_text("assignee", "VAP San Diego", required=False, max_length=200, multiline=False,
                                 help_text="Who at the receiver handles it (an office or a role)."),
                           RECEIVER_REFERENCE),
                   stamps=("acknowledged_at", "accepted_at", "assignee", "receiver_reference"),
                   description="The receiver takes the referral on."),
        Transition("reject", RECEIVER, frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED}), Status.REJECTED,
                   fields=(_code("reason_code", RejectReason, "not_in_jurisdiction"),
                           _text("reason", "Outside our area of responsibility.")),
                   reason="reason", reason_code="reason_code", stamps=("acknowledged_at", "closed_at"),
                   description="The receiver declines the referral."),
        Transition("request-info", RECEIVER, frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED}),
                   Status.INFO_REQUESTED, fields=(_text("question", "Is an interpreter needed, and for which "
                                                        "language?"),),
                   reason="question", stamps=("acknowledged_at",),
                   description="The receiver asks the sender a question before deciding."),
        Transition("respond", SENDER, frozenset({Status.INFO_REQUESTED}), Status.ACKNOWLEDGED,
                   fields=(_text("answer", "Yes: Spanish (Honduras)."),), reason="answer",
                   stamps=("acknowledged_at",), description="The sender answers the receiver's question."),
        Transition("start", RECEIVER, frozenset({Status.ACCEPTED}), Status.IN_PROGRESS,
                   description="Work on the referral has started."),
        Transition("hold", RECEIVER, frozenset({Status.IN_PROGRESS}), Status.ON_HOLD,
                   fields=(_text("reason", "Awaiting an interpreter."),), reason="reason",
                   description="Work is paused."),
        Transition("resume", RECEIVER, frozenset({Status.ON_HOLD}), Status.IN_PROGRESS,
                   description="Work resumes."),
        Transition("complete", RECEIVER,
                   frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD}), Status.COMPLETED,
                   fields=(_code("outcome_code", OutcomeCode, "services_provided"),
                           _text("outcome", "Shelter placement and counseling arranged."), CONTINUED_PRESENCE),
                   reason="outcome", reason_code="outcome_code", stamps=("outcome_code", "outcome", "closed_at"),
                   description="The receiver records the outcome."),
        Transition("withdraw", SENDER, NON_TERMINAL, Status.WITHDRAWN,
                   fields=(_text("reason", "Sent to the wrong agency."),), reason="reason", stamps=("closed_at",),
                   description="The sender takes the referral back."),
        Transition("recall", SENDER, NON_TERMINAL, Status.RECALLED,
                   fields=(_text("reason", "Sent to the wrong agency: the person is not the one we meant.",
                                 help_text="What was sent in error (recorded, shown in the history)."),),
                   reason="reason", stamps=("closed_at",),
                   description="The sender sent the referral to the wrong agency or with the wrong people: from now "
                   "on the receiver sees its existence, status, reference and history but no person data "
                   "(`masked: true`, `withheld: \"recall\"`), narrative, case, note text or attachment content, file "
                   "name or description. Recorded in the audit trail as a privacy incident; emits "
                   "`referral.recalled`."),
        # Its body has its own serializer (ForwardInputSerializer); the fields here name it for the table.
        Transition("forward", RECEIVER, frozenset({Status.ACCEPTED, Status.IN_PROGRESS}), None,
                   fields=(ActionField("receiver", "USCIS"), ActionField("referral_type", "relief_support"),
                           ActionField("person_ids", "..."), ActionField("summary", "..."),
                           ActionField("note", "...", required=False),
                           ActionField("disclosure_bases", "...", required=False)),
                   description="The receiver forwards chosen people to a third agency: a new referral from the "
                   "receiver, linked to this one as its child."),
    ]
}  # fmt: skip

ACTIONS = tuple(TRANSITIONS)
# Actions that move the referral to another status (``referral_act``); the others have their own service.
STATUS_ACTIONS = tuple(a for a, t in TRANSITIONS.items() if t.target is not None)


def allowed_actions(*, status: str, side: str | None, can_write: bool = True) -> list[str]:
    """Return the actions a party on ``side`` may take from ``status`` (none without ``referrals:write``)."""
    if side is None or not can_write:
        return []
    return [t.action for t in TRANSITIONS.values() if t.actor == side and status in t.sources]


def lifecycle_markdown() -> str:
    """The lifecycle table as Markdown, for the OpenAPI description."""
    order = [s.value for s in Status]
    lines = ["| action | who | from | to | body |", "| --- | --- | --- | --- | --- |"]
    for t in TRANSITIONS.values():
        sources = ", ".join(s for s in order if s in t.sources)
        if t.sources == NON_TERMINAL:
            sources = "any non-terminal"
        fields = [f"`{f}`" for f in t.required] + [f"`{f}` (optional)" for f in t.optional]
        target = t.target or "(unchanged; a new child referral)"
        lines.append(f"| `{t.action}` | {t.actor} | {sources} | {target} | {', '.join(fields) or '`{}`'} |")
    return "\n".join(lines)


def lifecycle_mermaid() -> str:
    """The lifecycle as a Mermaid state diagram (docs/referrals.md; a test keeps the file in step)."""
    order = [s.value for s in Status]
    lines = [
        "stateDiagram-v2",
        '    state "any non-terminal status" as non_terminal',
        "    [*] --> submitted: create (sender)",
    ]
    for t in TRANSITIONS.values():
        sources = ["non_terminal"] if t.sources == NON_TERMINAL else [s for s in order if s in t.sources]
        for source in sources:
            if t.target is None:
                lines.append(f"    {source} --> {source}: {t.action} ({t.actor}) creates a child referral")
            else:
                lines.append(f"    {source} --> {t.target}: {t.action} ({t.actor})")
    lines.extend(f"    {s} --> [*]" for s in order if s in TERMINAL_STATUSES)
    return "\n".join(lines)
