-- Ingress trunks may anchor media only when needed ('auto', docs/media.md).
-- DROP CONSTRAINT works on PostgreSQL, MySQL 8.0.19+ and MariaDB 10.2+.
ALTER TABLE ingress_trunk DROP CONSTRAINT ck_ingress_trunk_media;
ALTER TABLE ingress_trunk ADD CONSTRAINT ck_ingress_trunk_media CHECK (media_mode IN ('relay', 'bypass', 'auto'));
