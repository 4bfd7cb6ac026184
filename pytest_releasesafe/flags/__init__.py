"""Stale feature flags: find flag checks in Python code, judge them against an inventory, remove them.

The scan path (`references`, `inventory`, `staleness`) uses only the standard library parser so a
large repository scans in well under a second; the removal path (`removal`) uses libcst because it
must rewrite code without touching comments or formatting. Both recognise flag checks with the same
rules (`matching`), so whatever the scan reports, the removal finds.
"""
