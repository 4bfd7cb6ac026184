-- migrate:up transaction:false
SET lock_timeout = '4s';
CREATE INDEX CONCURRENTLY webhooks_url_idx ON webhooks (url);
ALTER TABLE webhooks ALTER COLUMN secret SET NOT NULL;  -- expect: RS302

-- migrate:down
ALTER TABLE webhooks ALTER COLUMN secret DROP NOT NULL;
DROP INDEX webhooks_url_idx;
