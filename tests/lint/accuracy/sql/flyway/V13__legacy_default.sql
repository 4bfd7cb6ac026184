-- target-version: 10
SET lock_timeout = '5s';
ALTER TABLE products ADD COLUMN weight_grams integer NOT NULL DEFAULT 0;  -- expect: RS303
