BEGIN;
-- Fails at deploy time: CONCURRENTLY cannot run in a transaction block.
CREATE INDEX CONCURRENTLY ix_orders_created_at ON orders (created_at);
COMMIT;

-- Breaks the running release, which still queries "orders".
ALTER TABLE orders RENAME TO purchases;
