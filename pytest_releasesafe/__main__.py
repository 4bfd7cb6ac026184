"""`python -m pytest_releasesafe` runs the `releasesafe` command."""

from pytest_releasesafe.cli import run

run()
