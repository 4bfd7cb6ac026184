SET SESSION lock_wait_timeout = 5;
-- The dump says title is varchar(20): widening to 40 characters is in place.
ALTER TABLE posts MODIFY title varchar(40) NOT NULL;
-- int -> bigint is a real type change: copied.
ALTER TABLE posts MODIFY id int NOT NULL AUTO_INCREMENT;  -- expect: RS901, RS605
