"""Which files to look at, and the cheap text prefilter that decides which are worth parsing."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .config import FlagsConfig
from .sdks import SDKS, call_names

# Method names so common in ordinary code (settings.get_value, plugin.is_enabled) that a file is
# only worth parsing for them when it also mentions a flag SDK.
GENERIC_NAMES = frozenset(
    {
        "is_enabled",
        "get_value",
        "get_value_details",
        "is_on",
        "is_off",
        "get_variant",
        "get_feature_value",
        "eval_feature",
    }
)


def _split_excludes(excludes: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    plain = frozenset(pattern for pattern in excludes if not any(char in pattern for char in "*?["))
    return plain, tuple(pattern for pattern in excludes if pattern not in plain)


def _is_environment(directory: str) -> bool:
    """Virtual environments and installed packages are not the project's code, whatever their name."""
    return os.path.basename(directory) == "site-packages" or os.path.isfile(
        os.path.join(directory, "pyvenv.cfg")
    )


def python_files(paths: Iterable[Path], excludes: tuple[str, ...]) -> Iterator[str]:
    """Python files under ``paths``; explicitly named files are always included. Plain strings:
    a big tree has thousands of files and most are never more than read once."""
    plain, patterns = _split_excludes(excludes)

    def excluded(name: str) -> bool:
        return name in plain or any(fnmatch.fnmatch(name, pattern) for pattern in patterns)

    for path in paths:
        if path.is_file():
            yield str(path)
            continue
        for directory, subdirectories, files in os.walk(path):
            subdirectories[:] = sorted(
                name
                for name in subdirectories
                if not excluded(name) and not _is_environment(os.path.join(directory, name))
            )
            for name in sorted(files):
                if name.endswith(".py") and not excluded(name):
                    yield os.path.join(directory, name)


def _words(words: Iterable[str]) -> re.Pattern[bytes] | None:
    words = sorted(set(words), key=len, reverse=True)
    if not words:
        return None
    return re.compile(rb"\b(?:" + b"|".join(re.escape(word.encode()) for word in words) + rb")\b")


@dataclass(frozen=True)
class Prefilter:
    """Decides from raw bytes, without parsing, whether a file could contain a flag check."""

    distinctive: re.Pattern[bytes] | None
    generic: re.Pattern[bytes] | None
    sdk_modules: re.Pattern[bytes] | None

    def wants(self, data: bytes) -> bool:
        if self.distinctive is not None and self.distinctive.search(data):
            return True
        return bool(
            self.generic is not None
            and self.sdk_modules is not None
            and self.generic.search(data)
            and self.sdk_modules.search(data)
        )


def prefilter(config: FlagsConfig, extra_words: Iterable[str] = ()) -> Prefilter:
    names = call_names()
    distinctive = set(names - GENERIC_NAMES)
    distinctive.update(check.qualified_name.rsplit(".", 1)[-1] for check in config.checks)
    distinctive.update(toggle.qualified_name.rsplit(".", 1)[-1] for toggle in config.test_toggles)
    distinctive.update(registry.rsplit(".", 1)[-1] for registry in config.registries)
    distinctive.update(extra_words)
    modules = {module for sdk in SDKS for module in sdk.modules}
    return Prefilter(_words(distinctive), _words(names & GENERIC_NAMES), _words(modules))
