SET lock_timeout = '5s';
ALTER TABLE products ADD COLUMN supplier_payload json;  -- expect: RS407
