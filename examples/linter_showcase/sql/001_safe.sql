-- Give up after 5 s rather than queue every query on orders behind a lock we cannot get.
SET lock_timeout = '5s';
-- Safe: built concurrently, outside any transaction; a nullable column is instant.
CREATE INDEX CONCURRENTLY ix_orders_user_id ON orders (user_id);
ALTER TABLE orders ADD COLUMN note text;
-- Mentioning DDL in a comment or a string is not DDL: DROP TABLE orders;
COMMENT ON COLUMN orders.note IS 'ALTER TABLE orders DROP COLUMN note; once unused';
