-- expect-none
SELECT name FROM users WHERE false;
