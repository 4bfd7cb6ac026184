"""Our own flag helper and a static registry for flags that live in code."""

import os

# Flags decided at deploy time; the helper below falls back to them.
FEATURE_FLAGS = {
    "express_shipping": True,
    "gift_wrap": False,
}


def is_feature_enabled(name: str, default: bool = False) -> bool:
    """True when the flag is on for this deployment (environment wins over the registry)."""
    override = os.environ.get(f"FLAG_{name.upper()}")
    if override is not None:
        return override == "1"
    return FEATURE_FLAGS.get(name, default)
