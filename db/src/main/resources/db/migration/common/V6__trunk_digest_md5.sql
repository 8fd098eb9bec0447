-- A trunk may refuse MD5 digest answers and accept SHA-256 only (RFC 8760). Existing trunks keep MD5,
-- which most carrier switches still answer with.
ALTER TABLE ingress_trunk ADD COLUMN digest_md5 BOOLEAN NOT NULL DEFAULT TRUE;
