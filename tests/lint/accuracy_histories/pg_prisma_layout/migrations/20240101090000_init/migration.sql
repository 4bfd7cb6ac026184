-- expect-none
SET lock_timeout = '5s';
CREATE TABLE "User" ("id" SERIAL NOT NULL, "name" VARCHAR(50) NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
