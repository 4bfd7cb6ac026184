-- expect-none: VALIDATE in its own migration takes SHARE UPDATE EXCLUSIVE, reads and writes go on.
ALTER TABLE order_items VALIDATE CONSTRAINT order_items_product_id_fkey3;
