SET lock_timeout = '5s';

ALTER TABLE products
    ADD COLUMN updated_at  timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN tags        text[]      NOT NULL DEFAULT '{}',
    ADD COLUMN is_featured boolean     NOT NULL DEFAULT false;

ALTER TABLE products ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();  -- expect: RS303, RS605
ALTER TABLE order_items ADD COLUMN line_no bigserial;  -- expect: RS402
ALTER TABLE order_items ADD COLUMN gift_note varchar(200) NOT NULL;  -- expect: RS301, RS605
