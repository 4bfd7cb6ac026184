SET lock_timeout = '3s';
DROP INDEX orders_status_idx;  -- expect: RS103
DROP INDEX CONCURRENTLY IF EXISTS orders_created_idx;
CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders USING brin (created_at);
BEGIN;
CREATE UNIQUE INDEX CONCURRENTLY orders_number_key ON orders (number);  -- expect: RS102, RS105
COMMIT;
REINDEX INDEX orders_pkey;  -- expect: RS104
REINDEX TABLE CONCURRENTLY orders;
