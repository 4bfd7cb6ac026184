"""pytest-releasesafe: stop unsafe releases before they ship."""

__version__ = "0.1.0"
