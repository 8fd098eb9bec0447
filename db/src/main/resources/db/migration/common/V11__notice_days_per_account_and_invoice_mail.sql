-- Issue #20: an account's own notice period for rate increases, in days. NULL = the deck's
-- notice_days. For a customer it wins over its sell deck's; for a vendor over its buy deck's.
ALTER TABLE account ADD COLUMN notice_days INT;
ALTER TABLE account ADD CONSTRAINT ck_account_notice_days CHECK (notice_days IS NULL OR (notice_days >= 0 AND notice_days <= 365));

-- Issue #20: where an issued invoice or credit note is mailed, PDF attached (comma-separated
-- addresses; '' = not mailed).
ALTER TABLE partner_terms ADD COLUMN invoice_email VARCHAR(1000) NOT NULL DEFAULT '';
