-- expect-none
-- +goose Up
SET lock_timeout = '5s';
CREATE TABLE users (id bigint PRIMARY KEY, name varchar(20) NOT NULL);

-- +goose Down
DROP TABLE users;
