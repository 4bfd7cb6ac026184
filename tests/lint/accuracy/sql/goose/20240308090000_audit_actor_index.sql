-- goose runs this file in a transaction: CONCURRENTLY fails there.
-- +goose Up
CREATE INDEX CONCURRENTLY audit_log_actor_idx ON audit_log (actor);  -- expect: RS102

-- +goose Down
DROP INDEX CONCURRENTLY audit_log_actor_idx;
