-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit(actor text, action text) RETURNS void AS $$
BEGIN
    -- DELETE FROM audit_log would lose history; we only ever insert.
    INSERT INTO audit_log (actor, action) VALUES (actor, action);
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
SET lock_timeout = '3s';
ALTER TABLE audit_log DROP COLUMN action;  -- expect: RS511

-- +goose Down
ALTER TABLE audit_log ADD COLUMN action text NOT NULL DEFAULT '';
DROP FUNCTION audit(text, text);
