"""The audit archive file format, and a verifier that needs only Python and the ``cryptography`` package.

Nothing here imports Django or the service: an auditor can run this file on its own::

    python audit/archive_format.py ARCHIVE.jsonl --public-key <base64url Ed25519 public key>

Format ``audit-archive-v1`` (UTF-8 JSON Lines, documented in docs/records.md):

* one line per audit entry, in chain order: a JSON object with the hashed fields of the entry (``chain_seq``,
  ``public_id``, ``occurred_at`` as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, ``agency_code``, ``client_id``,
  ``client_name``, ``action``, ``object_type``, ``object_id``, ``outcome``, ``reason``, ``request_id``,
  ``source_ip``, ``purpose``, ``prev_hash``) and its ``row_hash``;
* a last line ``{"manifest": {...}, "signature": "<base64url>"}``. The manifest holds ``format``,
  ``canonical_version``, ``created_at``, ``before``, ``first_seq``, ``last_seq``, ``count``, ``prev_hash``
  (the hash the first entry continues from), ``first_hash``, ``last_hash``, ``entries_sha256`` (SHA-256 of the
  bytes of every entry line, newlines included), ``algorithm`` (``Ed25519``), ``public_key`` and ``key_id``.
  The signature is Ed25519 (RFC 8032) over the manifest encoded as compact JSON with sorted keys.

Each entry's ``row_hash`` is SHA-256 over the compact JSON array ``["audit-v1", <the 15 hashed fields in the
order above>]`` (UTF-8, non-ASCII characters not escaped), exactly as ``audit.chain.canonical_bytes``.

Why Ed25519 and not HMAC-SHA-256: verifying an HMAC needs the secret key, and whoever holds it can also forge
archives. With Ed25519 the service signs with ``AUDIT_ARCHIVE_KEY`` (the 32-byte private seed) and an auditor
verifies with the public key alone, which can be published and cannot sign.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from dataclasses import dataclass, field

FORMAT = "audit-archive-v1"
CANONICAL_VERSION = "audit-v1"
GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "chain_seq", "public_id", "occurred_at", "agency_code", "client_id", "client_name", "action", "object_type",
    "object_id", "outcome", "reason", "request_id", "source_ip", "purpose", "prev_hash",
)  # fmt: skip


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def compact(value) -> bytes:
    """Compact JSON, UTF-8, non-ASCII kept as is (the encoding both the hashes and the signature use)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def row_hash(entry: dict) -> str:
    """SHA-256 of an entry's canonical encoding (same bytes as ``audit.chain.canonical_bytes``)."""
    return hashlib.sha256(compact([CANONICAL_VERSION, *(entry[name] for name in HASHED_FIELDS)])).hexdigest()


def manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode("utf-8")


def key_id(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()[:16]


def signing_key(seed_b64url: str):
    """The Ed25519 private key from ``AUDIT_ARCHIVE_KEY`` (32 random bytes, base64url)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    seed = b64url_decode(seed_b64url)
    if len(seed) != 32:
        raise ValueError("AUDIT_ARCHIVE_KEY must be 32 random bytes, base64url-encoded (43 characters).")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_bytes(private_key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass
class ArchiveReport:
    ok: bool
    problems: list[str] = field(default_factory=list)
    manifest: dict | None = None
    count: int = 0

    def fail(self, problem: str) -> ArchiveReport:
        self.ok = False
        self.problems.append(problem)
        return self


def verify_archive(path: str, *, public_key: bytes) -> ArchiveReport:
    """Check an archive on its own: every row hash, every link, the entries digest, the manifest and its signature."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    report = ArchiveReport(ok=True)
    try:
        with open(path, "rb") as handle:
            lines = handle.read().split(b"\n")
    except OSError as exc:
        return report.fail(f"cannot read the archive: {exc.strerror}")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        return report.fail("the archive is empty")
    try:
        trailer = json.loads(lines[-1])
        manifest, signature = trailer["manifest"], b64url_decode(trailer["signature"])
    except (ValueError, KeyError, TypeError):
        return report.fail("the last line is not a signed manifest")
    report.manifest = manifest
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, manifest_bytes(manifest))
    except (InvalidSignature, ValueError):
        return report.fail("the manifest's signature does not verify with this public key")
    if manifest.get("format") != FORMAT or manifest.get("canonical_version") != CANONICAL_VERSION:
        return report.fail("unknown archive format")
    entry_lines = lines[:-1]
    digest = hashlib.sha256()
    expected_seq, expected_prev = manifest["first_seq"], manifest["prev_hash"]
    last_hash = None
    for number, raw in enumerate(entry_lines, start=1):
        digest.update(raw + b"\n")
        try:
            entry = json.loads(raw)
        except ValueError:
            return report.fail(f"line {number} is not JSON")
        if entry.get("chain_seq") != expected_seq:
            return report.fail(f"line {number}: expected chain_seq {expected_seq} (an entry is missing or moved)")
        if entry.get("prev_hash") != expected_prev:
            return report.fail(f"line {number} (chain_seq {expected_seq}): prev_hash does not link to the entry before")
        if entry.get("row_hash") != row_hash(entry):
            return report.fail(f"line {number} (chain_seq {expected_seq}): row_hash does not match its contents")
        expected_seq += 1
        expected_prev = last_hash = entry["row_hash"]
        report.count += 1
    if digest.hexdigest() != manifest["entries_sha256"]:
        report.fail("the entries do not match the manifest's entries_sha256")
    if report.count != manifest["count"] or expected_seq - 1 != manifest["last_seq"]:
        report.fail(
            f"the manifest announces {manifest['count']} entries up to {manifest['last_seq']}; found {report.count}"
        )
    if last_hash != manifest["last_hash"]:
        report.fail("the last entry's row_hash is not the manifest's last_hash")
    if entry_lines and json.loads(entry_lines[0]).get("row_hash") != manifest["first_hash"]:
        report.fail("the first entry's row_hash is not the manifest's first_hash")
    return report


def verify_sequence(paths: list[str], *, public_key: bytes) -> ArchiveReport:
    """Verify several archives and that they follow each other without a gap (a missing archive is a gap)."""
    overall = ArchiveReport(ok=True)
    previous = None
    reports = []
    for path in paths:
        report = verify_archive(path, public_key=public_key)
        reports.append(report)
        for problem in report.problems:
            overall.fail(f"{path}: {problem}")
        if report.manifest is None:
            continue
        overall.count += report.count
        current = report.manifest
        if previous is not None and (
            current["first_seq"] != previous["last_seq"] + 1 or current["prev_hash"] != previous["last_hash"]
        ):
            overall.fail(
                f"{path}: starts at chain_seq {report.manifest['first_seq']} but the archive before ends at "
                f"{previous['last_seq']}: an archive is missing or out of order"
            )
        previous = report.manifest
    overall.manifest = previous
    return overall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify audit archives (audit-archive-v1) without the service.")
    parser.add_argument("archives", nargs="+", help="Archive files, oldest first.")
    parser.add_argument("--public-key", required=True, help="The Ed25519 public key, base64url (43 characters).")
    parser.add_argument("--from-genesis", action="store_true", help="The first archive must start the chain.")
    args = parser.parse_args(argv)
    public_key = b64url_decode(args.public_key)
    report = verify_sequence(args.archives, public_key=public_key)
    if args.from_genesis and report.ok:
        first = verify_archive(args.archives[0], public_key=public_key).manifest
        if first["first_seq"] != 1 or first["prev_hash"] != GENESIS_HASH:
            report.fail("the first archive does not start the chain (chain_seq 1, prev_hash of zeros)")
    for problem in report.problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if report.ok:
        last = report.manifest["last_seq"]
        print(f"OK {len(args.archives)} archive(s), {report.count} entries, last chain_seq {last}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
