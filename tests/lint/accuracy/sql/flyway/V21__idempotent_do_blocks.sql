-- Idempotent DDL the way hand-written Postgres migrations do it.
SET lock_timeout = '5s';

DO $$
BEGIN
    -- ALTER TABLE order_items DROP COLUMN note;  (already done by V15)
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'order_items_product_fk') THEN
        ALTER TABLE order_items  -- expect: RS201
            ADD CONSTRAINT order_items_product_fk FOREIGN KEY (product_id) REFERENCES products (id);
    END IF;
END
$$;

DO $do$
BEGIN
    CREATE TYPE shipping_speed AS ENUM ('standard', 'express');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$do$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'products_state_idx') THEN
        CREATE INDEX CONCURRENTLY products_state_idx ON products (state);  -- expect: RS102
    END IF;
END $$;

DO $$ BEGIN EXECUTE format('DROP TABLE IF EXISTS %I', 'import_' || to_char(now(), 'YYYYMM')); END $$;  -- expect: RS002
