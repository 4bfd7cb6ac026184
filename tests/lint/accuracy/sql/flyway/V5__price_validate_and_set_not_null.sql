-- expect-none: step 2; Postgres 12+ uses the validated CHECK and skips the scan.
SET lock_timeout = '5s';
ALTER TABLE products VALIDATE CONSTRAINT products_price_not_null;
ALTER TABLE products
    ALTER COLUMN price SET NOT NULL,
    DROP CONSTRAINT products_price_not_null;
