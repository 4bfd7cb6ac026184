-- Each type change is judged from the type V1 created, not guessed from the new type alone.
SET lock_timeout = '5s';
ALTER TABLE users ALTER COLUMN name TYPE varchar(19);  -- expect: RS401
ALTER TABLE users ALTER COLUMN name TYPE varchar(40);  -- expect: RS605
ALTER TABLE users ALTER COLUMN bio TYPE varchar(512);  -- expect: RS401
ALTER TABLE users ALTER COLUMN age TYPE text;  -- expect: RS401
ALTER TABLE users ALTER COLUMN ip TYPE inet;
ALTER TABLE users ALTER COLUMN seen TYPE timestamp(3);
ALTER TABLE users ALTER COLUMN price TYPE numeric(12, 2);
ALTER TABLE users ALTER COLUMN price TYPE numeric(12, 4);  -- expect: RS401
ALTER TABLE users ALTER COLUMN email TYPE citext;
ALTER TABLE users ALTER COLUMN name TYPE text USING name::text;
ALTER TABLE users ALTER COLUMN nick TYPE text USING lower(nick);  -- expect: RS401
