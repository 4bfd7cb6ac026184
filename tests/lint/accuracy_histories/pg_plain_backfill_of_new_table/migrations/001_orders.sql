-- expect-none
SET lock_timeout = '5s';
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12, 2));
