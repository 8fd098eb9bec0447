-- Media (issue #17, docs/media.md).
--
-- Per vendor gateway: how its calls' media is handled. A call is anchored on the relay when either
-- its ingress trunk or the gateway of the attempt asks for it. Existing gateways keep what they did
-- (nothing of their own: 'bypass' defers to the trunk).
ALTER TABLE vendor_gateway ADD media_mode VARCHAR(16) NOT NULL DEFAULT 'bypass';
ALTER TABLE vendor_gateway ADD CONSTRAINT ck_vendor_gateway_media CHECK (media_mode IN ('relay', 'bypass', 'auto'));

-- Per CDR: what the relay saw of an anchored call, per direction (customer -> vendor, vendor -> customer):
-- RTP packets and octets received, packets lost (RFC 3550 A.3) and the interarrival jitter estimate
-- (RFC 3550 6.4.1) in milliseconds. NULL when the call's media was not anchored.
ALTER TABLE cdr ADD rtp_customer_packets BIGINT;
ALTER TABLE cdr ADD rtp_customer_octets BIGINT;
ALTER TABLE cdr ADD rtp_customer_lost BIGINT;
ALTER TABLE cdr ADD rtp_customer_jitter_ms INT;
ALTER TABLE cdr ADD rtp_vendor_packets BIGINT;
ALTER TABLE cdr ADD rtp_vendor_octets BIGINT;
ALTER TABLE cdr ADD rtp_vendor_lost BIGINT;
ALTER TABLE cdr ADD rtp_vendor_jitter_ms INT;
