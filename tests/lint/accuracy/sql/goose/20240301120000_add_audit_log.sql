-- expect-none: goose keeps the down step in the same file.
-- +goose Up
-- +goose StatementBegin
CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    actor      text NOT NULL,
    action     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_at_idx ON audit_log (created_at);
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DROP INDEX audit_log_created_at_idx;
DROP TABLE audit_log;
-- +goose StatementEnd
