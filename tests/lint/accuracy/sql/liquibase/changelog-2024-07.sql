--liquibase formatted sql

--changeset maria:2024-07-01-1
ALTER TABLE customers ADD COLUMN marketing_opt_in boolean;  -- expect: RS602
--rollback ALTER TABLE customers DROP COLUMN marketing_opt_in;

--changeset maria:2024-07-01-2 runInTransaction:false
SET lock_timeout = '3s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_opt_in_idx ON customers (marketing_opt_in);
--rollback DROP INDEX CONCURRENTLY customers_opt_in_idx;

--changeset maria:2024-07-01-3
CREATE INDEX CONCURRENTLY customers_created_idx ON customers (created_at);  -- expect: RS102
--rollback DROP INDEX customers_created_idx;
