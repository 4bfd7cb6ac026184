-- target-version: 11
-- in-transaction: true
ALTER TYPE product_state ADD VALUE 'preorder' BEFORE 'live';  -- expect: RS505
