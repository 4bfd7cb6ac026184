SET lock_timeout = '5s';
DROP TRIGGER users_touch ON users;
-- Its only trigger is gone: no application code calls a trigger function.
DROP FUNCTION touch_updated_at();
-- Still called by users_audit: CASCADE drops the trigger too.
DROP FUNCTION audit_row() CASCADE;  -- expect: RS516
-- An ordinary function the application may call.
DROP FUNCTION user_count();  -- expect: RS516
