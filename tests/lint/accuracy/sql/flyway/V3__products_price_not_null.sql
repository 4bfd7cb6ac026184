SET lock_timeout = '5s';
ALTER TABLE products ALTER COLUMN price SET NOT NULL;  -- expect: RS302
