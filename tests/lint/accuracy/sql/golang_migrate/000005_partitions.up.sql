SET lock_timeout = '2s';
ALTER TABLE events DETACH PARTITION events_2021;  -- expect: RS698
ALTER TABLE events DETACH PARTITION events_2022 CONCURRENTLY;
ALTER TABLE events RENAME kind TO event_kind;  -- expect: RS501
ALTER TABLE events ADD COLUMN payload jsonb (;  -- expect: RS001
