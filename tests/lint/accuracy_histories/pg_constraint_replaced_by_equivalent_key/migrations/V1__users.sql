-- expect-none
SET lock_timeout = '5s';
CREATE TABLE users (
    id bigint NOT NULL,
    email text NOT NULL,
    name text,
    age int,
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_name_key UNIQUE (name),
    CONSTRAINT positive_age CHECK (age > 0)
);
