BEGIN;
SET LOCAL lock_timeout = '5s';
LOCK TABLE carts IN ACCESS EXCLUSIVE MODE;  -- expect: RS601
TRUNCATE carts, cart_items CASCADE;  -- expect: RS520, RS520
COMMIT;
