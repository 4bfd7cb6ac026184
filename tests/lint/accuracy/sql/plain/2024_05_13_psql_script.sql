-- Run with: psql -v ON_ERROR_STOP=1 -f 2024_05_13_psql_script.sql
\set ON_ERROR_STOP on
\timing on
SET search_path TO app, public;
SET lock_timeout = '3s';
ALTER TABLE orders ADD COLUMN fulfilment_center text;
\echo 'creating the index, this takes a while'
CREATE INDEX orders_fulfilment_center_idx ON orders (fulfilment_center);  -- expect: RS101
