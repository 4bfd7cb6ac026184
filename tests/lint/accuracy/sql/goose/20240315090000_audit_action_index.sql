-- expect-none: NO TRANSACTION lets CONCURRENTLY run.
-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_action_idx ON audit_log (action);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS audit_log_action_idx;
