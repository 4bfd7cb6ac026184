SET lock_timeout = '5s';

-- Product search by name.
CREATE INDEX products_name_idx ON products (lower(name));  -- expect: RS101
