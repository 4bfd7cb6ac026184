BEGIN;  -- expect: RS604
SET LOCAL lock_timeout = '5s';
ALTER TABLE products ADD COLUMN discontinued_at timestamptz;
