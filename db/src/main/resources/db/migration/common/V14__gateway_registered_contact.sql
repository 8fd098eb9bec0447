-- A vendor gateway may reach a customer trunk's registered contact instead of a fixed host
-- (docs/registrations.md): calls to an account of kind 'both' go to where its trunk registered from,
-- found at call time among the cluster's registrations. NULL: the gateway is at host:port as before.
-- host keeps its NOT NULL; such a gateway stores the trunk's name there, for lists and logs only.
ALTER TABLE vendor_gateway ADD COLUMN registered_trunk_id BIGINT;
ALTER TABLE vendor_gateway ADD CONSTRAINT fk_vendor_gateway_registered_trunk FOREIGN KEY (registered_trunk_id) REFERENCES ingress_trunk (id);
