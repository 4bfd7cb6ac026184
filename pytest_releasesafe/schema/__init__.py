"""A static schema catalogue: the schema a migration runs against, built by replaying the history.

No database is involved: the operations the front ends read from each migration are applied in the
history's own order (`order`) to a small model of tables, columns, constraints, indexes, enums,
functions and triggers (`state`, `replay`). A check then asks for the state before its statement.
What the replay cannot know (a table created outside the linted files, a column of a
`CREATE TABLE ... AS SELECT`) is absent, which reads as "unknown", never as safe or unsafe.
"""
