"""Texts shared by the OpenAPI descriptions and docs/webhooks.md (keep them in step)."""

FEED = """\
Your agency's events (it is the sender or receiver of the referral), oldest first, in commit order.

Poll with `after` set to the previous answer's `next_after`: every event appears exactly once, in order,
even while events are being written concurrently (an event gets its feed position only once its
transaction has committed). `after` must be an event id from your own feed, else 400. Without `after`, the
feed starts at the beginning. `next_after` equals `after` when there is nothing new. Events are kept
`EVENT_RETENTION_DAYS` (default 90): an `after` older than the oldest kept event answers 410 `gone` (poll
without `after` to start again from the oldest kept one).

`data` carries no personal data: `actor_agency`, and e.g. `from_status`/`to_status` or `changed_fields`.
Read the referral itself (with `referrals:read`) for its content."""

WEBHOOKS = """\
**Signatures** (Standard Webhooks): every delivery is a `POST` of the event JSON (the same object as in the
feed) with headers `webhook-id` (the event id), `webhook-timestamp` (Unix seconds) and
`webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{raw body}">`, keyed with the
base64-decoded part of your `whsec_` secret. After a secret rotation, the header carries one signature per
valid secret, space-separated; accept the message if any matches. Reject timestamps more than 5 minutes off.

**Retries**: any 2xx is success. Anything else (including 3xx: redirects are never followed), a timeout
(3 s to connect, 10 s in all) or a refused connection is retried with exponential backoff and up to 25%
jitter after about 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h and 12 h: eleven attempts over about
28 hours, then the delivery is marked `failed` (you can redeliver it). `410 Gone` disables the subscription
(re-enable with `PATCH {"active": true}`).

**Ordering and duplicates**: delivery is at-least-once and not ordered: a retry can arrive after a later
event, and a message can arrive twice (e.g. your endpoint answered but the answer was lost). Dedupe by
`webhook-id`; order by the feed (`GET /api/v1/events/`), which is the ordered, exactly-once record.

**Endpoints** must be `https` and resolve only to public internet addresses; the address is checked again
at every delivery, and the connection goes to the checked address."""
