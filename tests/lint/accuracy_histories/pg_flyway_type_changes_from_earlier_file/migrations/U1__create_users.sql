-- An undo migration is a downgrade: not judged as a forward migration.
-- expect-none
DROP TABLE users;
