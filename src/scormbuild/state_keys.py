"""Keys of scenes, choices and questions in saved progress (state.js's S3 format).

Computed here, once, for the player data; the JavaScript only compares them.
"""

from __future__ import annotations

import base64
import hashlib


def state_key(*names: str) -> str:
    """A scene's, choice's or question's key in saved progress (state.js S3): 48 bits of a hash
    of its ids, as 8 base64url characters (state.js uses the first few)."""
    digest = hashlib.blake2b("/".join(names).encode(), digest_size=6).digest()
    return base64.urlsafe_b64encode(digest).decode()


def state_key_length(groups: list[list[str]], shortest: int) -> int:
    """The shortest prefix (at least ``shortest``) that tells the keys of each group apart."""
    for length in range(shortest, 9):
        if all(len({key[:length] for key in keys}) == len(keys) for keys in groups):
            return length
    return 0  # no unique prefix: progress is saved positionally (S2)
