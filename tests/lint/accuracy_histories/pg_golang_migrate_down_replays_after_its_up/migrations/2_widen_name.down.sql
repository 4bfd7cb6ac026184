-- The down step runs against the state after 2's up step: varchar(40) back to varchar(20) shrinks.
SET lock_timeout = '5s';
ALTER TABLE users ALTER COLUMN name TYPE varchar(20);  -- expect: RS401
