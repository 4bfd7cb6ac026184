"""Package discovery that pyproject.toml alone cannot express.

The rule catalogue lives at the top-level rules/ folder (YAML data only) and ships as the
package `pytest_releasesafe.rules`, so importlib.resources finds it in wheels and editable
installs alike. Every other package is found under pytest_releasesafe/.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["pytest_releasesafe", "pytest_releasesafe.*"]),
        "pytest_releasesafe.rules",
    ],
    package_dir={"pytest_releasesafe.rules": "rules"},
)
