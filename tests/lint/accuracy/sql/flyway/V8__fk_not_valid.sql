-- expect-none
SET lock_timeout TO '5s';
ALTER TABLE order_items
    ADD CONSTRAINT order_items_product_id_fkey3 FOREIGN KEY (product_id) REFERENCES products (id) NOT VALID;
