-- Console users gain the FINANCE role: accounts, top-ups, decks, CDRs, re-rating and exports,
-- but not calls, routing or users.
ALTER TABLE console_user_role DROP CONSTRAINT ck_console_user_role;
ALTER TABLE console_user_role ADD CONSTRAINT ck_console_user_role
    CHECK (role IN ('admin', 'operator', 'finance', 'viewer'));
