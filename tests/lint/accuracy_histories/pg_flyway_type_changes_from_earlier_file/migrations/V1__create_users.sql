-- expect-none
SET lock_timeout = '5s';
CREATE TABLE users (
    id bigint PRIMARY KEY,
    name varchar(20) NOT NULL,
    bio text,
    age int,
    ip cidr,
    seen timestamp(0),
    price numeric(10, 2),
    email text,
    nick varchar(20)
);
