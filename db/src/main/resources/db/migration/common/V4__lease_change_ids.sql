-- Every change a node makes to its own lease (a top-up, a give-back) writes a random id and the
-- amount it moved. When the connection breaks while such a change commits, the node cannot tell from
-- the error whether it landed: before it changes the lease again it reads the id back, so the money
-- its memory counts as leased never drifts from the row (a lease that grew unseen was held for good;
-- one that shrank unseen let the node promise money the database no longer held for it).
-- A lease given back in full keeps its row (amount 0) so that the id can still be read.
ALTER TABLE balance_lease ADD COLUMN last_change_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE balance_lease ADD COLUMN last_change_amount DECIMAL(20,6) NOT NULL DEFAULT 0;
