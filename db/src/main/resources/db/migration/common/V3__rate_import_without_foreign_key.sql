-- rate.import_id says which upload wrote a rate period. Uploads are never deleted, and the staged
-- rows of an upload that is rejected or superseded are deleted in the same transaction, so the
-- column needs no foreign key. Checking one for every row was the largest avoidable cost of staging
-- a 1,000,000-row deck (docs/performance.md). The deck's own foreign key stays.
ALTER TABLE rate ${drop_foreign_key} fk_rate_import;
