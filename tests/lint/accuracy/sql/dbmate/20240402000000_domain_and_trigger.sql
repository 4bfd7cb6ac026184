-- migrate:up
SET LOCAL lock_timeout = '4s';
ALTER DOMAIN webhook_url SET NOT NULL;  -- expect: RS299
DROP TRIGGER webhooks_touch ON webhooks;
VACUUM (FULL OFF) webhooks;

-- migrate:down
CREATE TRIGGER webhooks_touch BEFORE UPDATE ON webhooks FOR EACH ROW EXECUTE FUNCTION touch();
