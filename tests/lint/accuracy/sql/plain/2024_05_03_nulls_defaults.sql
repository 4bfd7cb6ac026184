SET lock_timeout = '3s';
ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;  -- expect: RS305
ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;  -- expect: RS304, RS605
ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (total * 100) STORED;  -- expect: RS402
ALTER TABLE payments ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;  -- expect: RS402
ALTER TABLE payments ADD COLUMN settled boolean NOT NULL DEFAULT false;  -- expect: RS605
ALTER TABLE payments ADD COLUMN reference text DEFAULT 'n/a' || random()::text;  -- expect: RS303
