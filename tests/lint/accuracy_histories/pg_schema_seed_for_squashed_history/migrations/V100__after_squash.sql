SET lock_timeout = '5s';
-- Known from schema.sql: varchar(20) -> varchar(10) rewrites the table.
ALTER TABLE accounts ALTER COLUMN name TYPE varchar(10);  -- expect: RS401
-- A table schema.sql does not know: the old type stays unknown, as without a catalogue.
ALTER TABLE elsewhere ALTER COLUMN note TYPE varchar(10);
