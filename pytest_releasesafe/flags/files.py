"""Which files to look at, and the cheap text prefilter that decides which are worth parsing."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .config import FlagsConfig
from .sdks import call_names


def python_files(paths: Iterable[Path], excludes: tuple[str, ...]) -> Iterator[Path]:
    """Python files under ``paths``; explicitly named files are always included."""
    for path in paths:
        if path.is_file():
            yield path
            continue
        for directory, subdirectories, files in os.walk(path):
            subdirectories[:] = sorted(
                name
                for name in subdirectories
                if not any(fnmatch.fnmatch(name, pattern) for pattern in excludes)
            )
            for name in sorted(files):
                if name.endswith(".py") and not any(fnmatch.fnmatch(name, pattern) for pattern in excludes):
                    yield Path(directory, name)


def prefilter(config: FlagsConfig, extra_words: Iterable[str] = ()) -> re.Pattern[bytes]:
    """A bytes regex matching any identifier that could start a flag check in this configuration."""
    words = set(call_names())
    words.update(check.qualified_name.rsplit(".", 1)[-1] for check in config.checks)
    words.update(registry.rsplit(".", 1)[-1] for registry in config.registries)
    words.update(extra_words)
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b".encode())
