"""Key management commands: ``rotate_encryption_keys`` and ``encryption_convert`` (an app of its own, so that the
key store imports nothing of what rotation and conversion build on it)."""
