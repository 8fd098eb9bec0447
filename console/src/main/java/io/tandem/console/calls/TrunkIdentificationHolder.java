package io.tandem.console.calls;

import io.tandem.routing.provisioning.persistence.TrunkAccessRepository;
import io.tandem.routing.reload.RouteTableHolder;
import io.tandem.routing.Gateway;
import io.tandem.routing.RouteTable;
import io.tandem.softswitch.call.identify.CustomerSource;
import io.tandem.softswitch.call.identify.ProvisionedPeers;
import io.tandem.softswitch.call.identify.TrunkIdentification;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Keeps the call engine's trunk identification (CIDRs, digest users, limits) and the set of
 * provisioned peers (trunks, vendor gateways, trusted proxies: never flood-limited or banned) in
 * step with the routing table: when the routing table's config version changes, the trunks are
 * reloaded off the call path and swapped in with one reference. Lookups never wait.
 */
public class TrunkIdentificationHolder implements Supplier<TrunkIdentification> {

    private static final Logger log = LoggerFactory.getLogger(TrunkIdentificationHolder.class);

    private final TrunkAccessRepository repository;
    private final RouteTableHolder routes;
    private final AtomicReference<TrunkIdentification> current = new AtomicReference<>();
    private final CustomerSource trustedProxies;
    private volatile ProvisionedPeers peers;
    private volatile long loadedVersion = Long.MIN_VALUE;

    public TrunkIdentificationHolder(TrunkAccessRepository repository, RouteTableHolder routes) {
        this(repository, routes, CustomerSource.none());
    }

    public TrunkIdentificationHolder(TrunkAccessRepository repository, RouteTableHolder routes, CustomerSource trustedProxies) {
        this.repository = repository;
        this.routes = routes;
        this.trustedProxies = trustedProxies;
        refresh();
    }

    /** Whether an address is a provisioned peer; answers from memory (it runs per packet). */
    public boolean isProvisioned(InetAddress source) {
        return peers.test(source);
    }

    @Override
    public TrunkIdentification get() {
        return current.get();
    }

    /** The routing config version the trunks were last loaded at. */
    public long loadedVersion() {
        return loadedVersion;
    }

    @Scheduled(fixedDelay = 200)
    public void refresh() {
        RouteTable table = routes.current();
        long version = table.version();
        if (version == loadedVersion) {
            return;
        }
        try {
            TrunkIdentification trunks = TrunkIdentification.of(repository.loadAll());
            peers = ProvisionedPeers.of(trunks, table.gateways().stream().map(Gateway::host).toList(), trustedProxies);
            current.set(trunks);
            loadedVersion = version;
        } catch (RuntimeException e) {
            if (current.get() == null) {
                throw e;
            }
            log.warn("Reloading trunks failed; keeping the previous ones: {}", e.getMessage());
        }
    }
}
