-- dialect: mysql
-- target-version: 84
-- expect-none: comments and strings that mention DDL are not DDL.
/* ALTER TABLE users DROP COLUMN email; -- kept for reference */
SELECT 'ALTER TABLE users RENAME TO people' AS note;
INSERT INTO `audit` (`message`) VALUES ('DROP TABLE posts; TRUNCATE users');
