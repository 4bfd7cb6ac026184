-- expect-none: step 1 of SET NOT NULL without a scan under ACCESS EXCLUSIVE.
SET lock_timeout = '5s';
ALTER TABLE products
    ADD CONSTRAINT products_price_not_null CHECK (price IS NOT NULL) NOT VALID;
