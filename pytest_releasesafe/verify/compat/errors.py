"""Errors that stop a compat run before it can judge anything (bad input, unusable setup): exit 2."""

from __future__ import annotations


class CompatError(Exception):
    """A clear, user-facing reason the check could not run; never a finding about the schema."""
