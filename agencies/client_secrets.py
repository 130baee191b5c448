"""Client secrets at rest: HMAC-SHA-256 under a server-side key, not a password hash.

A client secret is 64 random characters from a 62-letter alphabet (about 380 bits, ``generate_client_secret``):
nobody can guess it, so the slow, salted hashes made for human passwords (PBKDF2 with a million iterations,
about 0.5 s of CPU per check) protect nothing more and turn the token endpoint into a denial-of-service lever.
Like API-key systems, store ``HMAC-SHA-256(server key, secret)`` instead: a leaked database still yields
nothing usable (no key, no offline test of a guess), and a check costs microseconds.

The keys come from ``CLIENT_SECRET_HASH_KEYS`` (newest first). Each stored hash names the key that made it (a
short key id), so a key can be rolled: hashes under an older key still verify and are rewritten under the
newest on their next successful use, like secrets still stored under PBKDF2 from before this scheme.
Stored values look like ``hmac_sha256$<key id>$<hex digest>``: a Django password-hasher format, so that
django-oauth-toolkit's ``ClientSecretField`` (``CLIENT_SECRET_HASHER``) recognises them as already hashed.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.hashers import BasePasswordHasher, identify_hasher, make_password, mask_hash
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import constant_time_compare

ALGORITHM = "hmac_sha256"


def _keys() -> list[bytes]:
    keys = [key.encode("utf-8") for key in getattr(settings, "CLIENT_SECRET_HASH_KEYS", []) if key]
    if not keys:
        raise ImproperlyConfigured("CLIENT_SECRET_HASH_KEYS is empty: client secrets cannot be hashed or checked.")
    return keys


def key_id(key: bytes) -> str:
    """A short public name for a key (not the key): the first 8 hex digits of a domain-separated SHA-256."""
    return hashlib.sha256(b"client-secret-hash-key-id:" + key).hexdigest()[:8]


class ClientSecretHasher(BasePasswordHasher):
    """HMAC-SHA-256 under the newest ``CLIENT_SECRET_HASH_KEYS`` key. For random client secrets only."""

    algorithm = ALGORITHM

    def salt(self) -> str:
        return ""  # the secret is random; the server key is what an attacker lacks

    def encode(self, password: str, salt: str = "") -> str:
        key = _keys()[0]
        return f"{ALGORITHM}${key_id(key)}${self._digest(key, password)}"

    @staticmethod
    def _digest(key: bytes, password: str) -> str:
        return hmac.new(key, password.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()

    def decode(self, encoded: str) -> dict:
        algorithm, kid, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "salt": kid}

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        key = next((k for k in _keys() if key_id(k) == decoded["salt"]), None)
        if key is None:
            return False  # made under a key no longer configured: the secret must be rotated
        return constant_time_compare(self._digest(key, password), decoded["hash"])

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {"algorithm": decoded["algorithm"], "key id": decoded["salt"], "hash": mask_hash(decoded["hash"])}

    def must_update(self, encoded: str) -> bool:
        return self.decode(encoded)["salt"] != key_id(_keys()[0])

    def harden_runtime(self, password: str, encoded: str) -> None:
        return None


def client_secret_hash(secret: str) -> str:
    """Return the stored form of a new client secret."""
    return make_password(secret, hasher=ALGORITHM)


def client_secret_check(provided: str, stored: str) -> tuple[bool, bool]:
    """Return ``(matches, should_rehash)`` for a secret a client sent and the hash stored for it.

    Accepts hashes under any configured key and, from before this scheme, Django password hashes (PBKDF2);
    ``should_rehash`` says the hash is not under the newest key and should be rewritten now that the plaintext
    is known to be right. A stored value that is not a hash (or empty: a private_key_jwt client) never matches.
    """
    if not provided or not stored:
        return False, False
    try:
        hasher = identify_hasher(stored)
    except ValueError:
        return False, False
    if not hasher.verify(provided, stored):
        return False, False
    return True, hasher.algorithm != ALGORITHM or hasher.must_update(stored)
