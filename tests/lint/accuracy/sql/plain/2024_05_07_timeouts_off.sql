SET lock_timeout = 0;
ALTER TABLE orders ADD COLUMN gift boolean;  -- expect: RS602
