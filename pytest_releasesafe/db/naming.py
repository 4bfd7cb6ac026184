"""Unique database names: safe to run beside other sessions and pytest-xdist workers on one server."""

from __future__ import annotations

import os
import re
import secrets

DEFAULT_PREFIX = "releasesafe"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_EXISTING_NAME = re.compile(r"^[A-Za-z0-9_$-]{1,64}$")


def unique_name(prefix: str = DEFAULT_PREFIX) -> str:
    """`<prefix>_<worker>_<random>`: the worker id keeps xdist workers apart, the random part sessions."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{prefix}_{worker}_{secrets.token_hex(4)}".lower()
    # Postgres truncates identifiers at 63 bytes and MySQL refuses over 64: keep the random tail.
    if len(name) > 63:
        name = name[: 63 - 9] + name[-9:]
    return check_identifier(name)


def check_identifier(name: str) -> str:
    """Database names are quoted into SQL; accept only plain lowercase identifiers."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain database name: {name!r} (use lowercase letters, digits and _)")
    return name


def check_template_name(name: str) -> str:
    """Templates are existing databases, named by users: allow more, but nothing that needs escaping."""
    if not _EXISTING_NAME.match(name):
        raise ValueError(f"unsupported template database name: {name!r} (letters, digits, _ $ - only)")
    return name
