"""Click commands of the linter face (`lint`, `rules`, `explain`)."""
