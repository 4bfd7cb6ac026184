"""Severity from production size, offline.

`releasesafe stats --url URL` reads only catalog statistics (row estimates and on-disk sizes) into a
small JSON file the project commits (collect.py, stats_file.py). `releasesafe lint` then grades each
finding whose cost grows with the table by that table's size: a lock on a 300-row table is info, on
ten million rows an error, with the estimated duration in the message (grading.py).
"""
