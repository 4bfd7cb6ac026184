-- A typo must not pass as a harmless statement, and the rest of the file is still linted.
SET lock_timeout = '3s';
ALTER TABLE orders ALTR COLUMN note SET NOT NULL;  -- expect: RS002
CREAT INDEX orders_note_idx ON orders (note);  -- expect: RS001
ALTER TABLE orders DROP COLUMN legacy_note;  -- expect: RS511
