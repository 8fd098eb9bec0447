-- The console's CDR search by number prefix (docs/performance.md, "CDR search on 5,000,000 CDRs"):
-- the callee index grows into one that answers a prefix search on its own. A prefix is a range of
-- callee_out, so no index hands its rows over in started_at order; what makes it fast is that the
-- search's other filters (period, customer, vendor, answered/failed, SIP code) and the keyset
-- columns (started_at, id) are all in the index. CdrStore.page then picks the page's 50 ids from
-- the index alone and reads only those 50 rows, instead of reading every row of the prefix
-- (50,000 for a 1 % prefix over a month of 5,000,000) to sort them.
-- It replaces ix_cdr_callee_out (callee_out leads both, so it serves every query the old one did):
-- the table keeps seven indexes besides its primary key, and an insert writes as many entries as before.
-- On a big table this takes a while, and CDR inserts wait until it is built (docs/operations.md: upgrade off-peak).
CREATE INDEX ix_cdr_callee_search ON cdr (callee_out, started_at, id, customer_account_id, vendor_account_id, answered_at, sip_code);
DROP INDEX ix_cdr_callee_out ${drop_index_on} cdr ${drop_index_on_end};
