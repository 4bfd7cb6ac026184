-- SET LOCAL outside a transaction block does nothing (Postgres only warns).
SET LOCAL lock_timeout = '3s';
ALTER TABLE orders ADD COLUMN wrapped boolean;  -- expect: RS602
