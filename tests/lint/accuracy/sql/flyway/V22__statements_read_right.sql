-- in-transaction: true
-- Flyway runs each script in a transaction; SET LOCAL lasts until its COMMIT.
SET LOCAL lock_timeout = '2s';
ALTER TABLE person RENAME actor_id TO ap_id;  -- expect: RS501
ALTER TABLE person  -- expect: RS201, RS204
    ADD COLUMN org_id bigint DEFAULT 1 REFERENCES org (id),
    ADD COLUMN slug text UNIQUE;
ALTER TABLE team ADD COLUMN lead_id bigint CONSTRAINT team_lead_fkey REFERENCES person (id) DEFAULT 0;  -- expect: RS201
DROP STATISTICS IF EXISTS person_name_stats;
DROP TRIGGER IF EXISTS person_audit ON person;
ALTER TABLE person ALTER COLUMN ap_id SET DEFAULT now(5);
