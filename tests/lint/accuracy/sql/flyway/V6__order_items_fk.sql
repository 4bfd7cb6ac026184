-- Orders moved into this database, so order_items can reference them now.
ALTER TABLE order_items  -- expect: RS201, RS602
    ADD CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id);
