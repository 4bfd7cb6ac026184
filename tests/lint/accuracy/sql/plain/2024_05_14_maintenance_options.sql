-- psql script run by hand, outside any transaction.
SET lock_timeout = '2s';
VACUUM (FULL FALSE, ANALYZE) orders;
VACUUM (FULL) order_archive;  -- expect: RS405
REINDEX SYSTEM shop;  -- expect: RS002
ALTER TABLE measurements DETACH PARTITION measurements_2022;  -- expect: RS698
ALTER TABLE measurements DETACH PARTITION measurements_2023 CONCURRENTLY;
ALTER DOMAIN us_postal_code ADD CONSTRAINT us_postal_code_format CHECK (VALUE ~ '^\d{5}$');  -- expect: RS299
ALTER DOMAIN email_address ADD CONSTRAINT email_address_at CHECK (VALUE LIKE '%@%') NOT VALID;
ALTER TABLE orders ADD COLUMN shipped_at timestamptz DEFAULT now(0);  -- expect: RS303
ALTER TABLE orders ADD COLUMN note (;  -- expect: RS001
ALTER TABLE orders ADD CONSTRAINT orders_note_nn CHECK (note IS NOT NULL) NOT VALID;  -- expect: RS605
ALTER TABLE orders VALIDATE CONSTRAINT orders_note_nn;
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
DO $$ BEGIN UPDATE orders SET note = '' WHERE note IS NULL AND id < 1000; END $$;  -- expect: RS701
DO $$ BEGIN CREATE INDEX orders_note_idx ON orders (note); END $$;  -- expect: RS101
