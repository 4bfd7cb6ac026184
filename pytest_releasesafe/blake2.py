"""blake2b, the hash of the lint cache's keys, without loading OpenSSL.

`import hashlib` loads `_hashlib` (OpenSSL bindings, about 3 ms) even to hand out blake2b, which
CPython builds in as `_blake2`; a warm lint run hashes every file and does nothing else that needs
OpenSSL. Interpreters without `_blake2` get hashlib's.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always has it; other interpreters may not
    from hashlib import blake2b

__all__ = ["blake2b"]
