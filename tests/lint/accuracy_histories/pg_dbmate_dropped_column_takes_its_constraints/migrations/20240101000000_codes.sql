-- expect-none
-- migrate:up
SET lock_timeout = '5s';
CREATE TABLE vouchers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);

-- migrate:down
DROP TABLE vouchers;
