SET lock_timeout = '5s';
DROP VIEW IF EXISTS product_report;  -- expect: RS517
DROP MATERIALIZED VIEW product_sales;  -- expect: RS517
DROP FUNCTION IF EXISTS price_with_tax(numeric);  -- expect: RS516
DROP SEQUENCE legacy_sku_seq;  -- expect: RS518
DROP TYPE IF EXISTS legacy_state;  -- expect: RS515
DROP TABLE legacy_prices CASCADE;  -- expect: RS512
DROP SCHEMA staging CASCADE;  -- expect: RS513
DROP EXTENSION IF EXISTS hstore;  -- expect: RS519
ALTER TABLE products DROP COLUMN IF EXISTS old_price;  -- expect: RS511
