"""Rule catalogue: one YAML file per rule. Data only; shipped as pytest_releasesafe.rules."""
