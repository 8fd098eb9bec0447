package io.tandem.softswitch.call.identify;

import io.tandem.softswitch.sip.protection.AddressBlocks;
import java.net.InetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The addresses this node has a business relationship with: enabled customer trunks' CIDRs, vendor
 * gateways given as IP literals, and the configured trusted proxies. Flood protection never limits
 * or bans them and their transactions do not count against the per-source cap, so no spoofed packet
 * can aim a ban at them. A gateway given by DNS name is covered once its addresses are listed in
 * {@code tandem.sip.flood-allow-list} (a lookup per packet is out of the question). Immutable; a
 * reload builds a new one.
 */
public final class ProvisionedPeers implements Predicate<InetAddress> {

    private final TrunkIdentification trunks;
    private final Set<InetAddress> gateways;
    private final CustomerSource proxies;

    private ProvisionedPeers(TrunkIdentification trunks, Set<InetAddress> gateways, CustomerSource proxies) {
        this.trunks = trunks;
        this.gateways = gateways;
        this.proxies = proxies;
    }

    /** @param gatewayHosts the hosts of the vendor gateways; names that are not IP literals are skipped */
    public static ProvisionedPeers of(TrunkIdentification trunks, Collection<String> gatewayHosts, CustomerSource proxies) {
        Set<InetAddress> addresses = new HashSet<>();
        for (String host : gatewayHosts) {
            InetAddress literal = AddressBlocks.literal(host);
            if (literal != null) {
                addresses.add(literal);
            }
        }
        return new ProvisionedPeers(trunks, Set.copyOf(addresses), proxies);
    }

    @Override
    public boolean test(InetAddress source) {
        return gateways.contains(source) || proxies.isTrustedProxy(source) || trunks.bySource(source).isPresent();
    }
}
