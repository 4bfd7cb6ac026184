"""Generate docs/settings.md from the plugin's settings table (pytest_releasesafe.settings).

python lint/gen_settings_docs.py          # write the page
python lint/gen_settings_docs.py --check  # exit 1 when the page is missing or stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pytest_releasesafe.settings import settings_table  # noqa: E402

PAGE = ROOT / "docs" / "settings.md"

INTRO = """# pytest settings

Every setting of the pytest plugin is an ini key (in `pytest.ini`, or `[tool.pytest.ini_options]`
in pyproject.toml) and a command-line option; the option wins over the environment variable, the
variable over the ini file. Paths in the ini file are relative to it, paths on the command line to
the current directory. A value the plugin cannot use (an unknown check, a row count that is not a
number, an unknown database) stops the run with a usage error naming the setting.

This page is generated from `pytest_releasesafe/settings.py` (`python lint/gen_settings_docs.py`).

"""


def page() -> str:
    return INTRO + settings_table()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail when docs/settings.md is stale")
    args = parser.parse_args()
    wanted = page()
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.is_file() else None
        if current != wanted:
            print(f"{PAGE.relative_to(ROOT)} is stale: run python lint/gen_settings_docs.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(wanted, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
