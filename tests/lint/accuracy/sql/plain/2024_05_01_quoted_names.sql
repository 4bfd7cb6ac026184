-- Hand-written release script (Prisma-style quoted identifiers).
ALTER TABLE "public"."User" ADD COLUMN "isAdmin" BOOLEAN NOT NULL;  -- expect: RS301, RS602
CREATE INDEX "User_email_idx" ON "public"."User"("email");  -- expect: RS101
CREATE INDEX ON "public"."Post" ("authorId");  -- expect: RS101
ALTER TABLE ONLY "public"."Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "public"."User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;  -- expect: RS201
