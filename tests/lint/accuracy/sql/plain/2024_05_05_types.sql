SET lock_timeout = '3s';
ALTER TABLE events ALTER COLUMN happened_at TYPE timestamptz;  -- expect: RS401
ALTER TABLE events ALTER amount SET DATA TYPE numeric(14, 2);  -- expect: RS401, RS605
ALTER TABLE events ALTER COLUMN title TYPE varchar(500);
ALTER TABLE events ALTER COLUMN payload TYPE jsonb USING payload::jsonb;  -- expect: RS401
ALTER TABLE sessions ALTER COLUMN data TYPE json;  -- expect: RS401, RS407
