-- How a vendor gateway's host is looked up (RFC 3263 §4):
--   address  A/AAAA of host, sent to the configured port and transport (the behaviour before V2)
--   srv      SRV records for the configured transport (_sip._udp, _sip._tcp, _sips._tcp), tried in
--            priority/weight order; the configured port is used only when there are none
--   naptr    NAPTR picks the transport and the SRV name; without NAPTR, SRV for each transport;
--            the configured transport and port are used only when DNS has neither
ALTER TABLE vendor_gateway ADD COLUMN dns_lookup VARCHAR(8) NOT NULL DEFAULT 'address';
ALTER TABLE vendor_gateway ADD CONSTRAINT ck_vendor_gateway_dns_lookup CHECK (dns_lookup IN ('address', 'srv', 'naptr'));

-- What a trunk's calls carry to vendors as P-Asserted-Identity (RFC 3325):
--   pass    the customer's own P-Asserted-Identity, unchanged (the behaviour before V2)
--   strip   none: the customer is outside our trust domain
--   caller  one we assert: the caller number after the trunk's translations, at our host
ALTER TABLE ingress_trunk ADD COLUMN asserted_identity VARCHAR(16) NOT NULL DEFAULT 'pass';
ALTER TABLE ingress_trunk ADD CONSTRAINT ck_ingress_trunk_asserted_identity CHECK (asserted_identity IN ('pass', 'strip', 'caller'));

-- A rate's own grace time (ASTPP decks carry one per code): answered calls lasting at most this
-- many seconds are free. NULL: the deck's grace_seconds applies.
ALTER TABLE rate ADD COLUMN grace_seconds INT;
ALTER TABLE rate ADD CONSTRAINT ck_rate_grace CHECK (grace_seconds IS NULL OR grace_seconds BETWEEN 0 AND 3600);
