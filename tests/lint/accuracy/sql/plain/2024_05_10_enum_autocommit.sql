-- expect-none: outside a transaction the new label is committed before the UPDATE uses it.
SET lock_timeout = '3s';
ALTER TYPE order_state ADD VALUE IF NOT EXISTS 'returned';
UPDATE orders SET state = 'returned' WHERE id IN (SELECT order_id FROM returns LIMIT 500);
