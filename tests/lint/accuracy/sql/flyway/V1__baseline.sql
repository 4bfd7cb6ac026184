-- expect-none: a baseline creates everything from scratch.
-- Flyway baseline for the catalog service.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'product_state') THEN
        CREATE TYPE product_state AS ENUM ('draft', 'live', 'retired');
    END IF;
END
$$;

CREATE TABLE products (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku         varchar(40)  NOT NULL,
    name        text         NOT NULL,
    price       numeric(10, 2),
    state       product_state NOT NULL DEFAULT 'draft',
    created_at  timestamptz  NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX products_sku_key ON products (sku);

CREATE TABLE order_items (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    bigint NOT NULL,
    product_id  bigint NOT NULL REFERENCES products (id),
    quantity    integer NOT NULL CHECK (quantity > 0)
);

CREATE INDEX order_items_product_id_idx ON order_items (product_id);
ALTER TABLE order_items ADD CONSTRAINT order_items_order_product_key UNIQUE (order_id, product_id);

COMMENT ON TABLE products IS 'Never DROP TABLE products: the storefront caches it';

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $fn$
BEGIN
    NEW.updated_at := now();  -- ALTER TABLE products DROP COLUMN updated_at would break this
    RETURN NEW;
END;
$fn$ LANGUAGE plpgsql;

INSERT INTO products (sku, name, price) VALUES ('GIFT-CARD', 'Gift card', 25.00);
