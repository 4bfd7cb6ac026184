SET SESSION lock_wait_timeout = 5;
-- 20 -> 40 characters keeps a 1-byte length prefix (utf8mb4: 160 bytes): in place.
ALTER TABLE posts MODIFY title varchar(40) NOT NULL;
-- 60 -> 70 characters crosses 255 bytes: the length prefix grows, the table is copied.
ALTER TABLE posts MODIFY body varchar(70) NOT NULL;  -- expect: RS901, RS605
-- MODIFY restates the whole column: without NOT NULL the column silently becomes nullable.
ALTER TABLE posts MODIFY title varchar(50);  -- expect: RS304
