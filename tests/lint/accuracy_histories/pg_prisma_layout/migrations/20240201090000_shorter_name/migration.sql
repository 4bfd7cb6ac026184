SET lock_timeout = '5s';
ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(20);  -- expect: RS401
