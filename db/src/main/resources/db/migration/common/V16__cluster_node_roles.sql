-- Media nodes (issue #17, docs/media.md "Media nodes"): what each node does, written with its heartbeat.
-- 'both' (SIP and its own relay), 'sip' (signalling only), 'media' (a relay for signalling nodes, no SIP),
-- 'none' (console and API only, SIP off). Cluster-wide CPS and call limits are shared out among the live
-- nodes that take calls ('both' and 'sip'). Rows of nodes that have not beaten since keep 'both': they were
-- counted before and are until their next heartbeat writes their role.
ALTER TABLE cluster_node ADD roles VARCHAR(16) NOT NULL DEFAULT 'both';
ALTER TABLE cluster_node ADD CONSTRAINT ck_cluster_node_roles CHECK (roles IN ('both', 'sip', 'media', 'none'));
