package io.tandem.softswitch.call.identify;

import io.tandem.routing.provisioning.TrunkAccess;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable lookup from a packet's source address to its ingress trunk (longest matching
 * CIDR wins), and from a digest user name to its trunk and HA1 hashes. Only enabled trunks match:
 * a disabled trunk's addresses are strangers again (challenged or refused like any other), and
 * they lose the flood-protection exemption. Rebuilt with the routing table; lookups never wait.
 */
public final class TrunkIdentification {

    private final List<Cidr> cidrs;
    private final Map<String, DigestIdentity> digestUsers;
    private final Map<Long, TrunkAccess> trunks;

    private TrunkIdentification(List<Cidr> cidrs, Map<String, DigestIdentity> digestUsers, Map<Long, TrunkAccess> trunks) {
        this.cidrs = cidrs;
        this.digestUsers = digestUsers;
        this.trunks = trunks;
    }

    /** A trunk's digest user. */
    public record DigestIdentity(TrunkAccess trunk, TrunkAccess.DigestUser user) {
    }

    private record Cidr(byte[] network, int prefixLength, TrunkAccess trunk) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int remaining = prefixLength % 8;
            if (remaining == 0) {
                return true;
            }
            int mask = 0xFF << (8 - remaining) & 0xFF;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    public static TrunkIdentification of(List<TrunkAccess> trunks) {
        List<Cidr> cidrs = new ArrayList<>();
        Map<String, DigestIdentity> users = new HashMap<>();
        Map<Long, TrunkAccess> byId = new HashMap<>();
        for (TrunkAccess trunk : trunks) {
            byId.put(trunk.trunkId(), trunk);
            if (!trunk.enabled()) {
                continue;
            }
            for (String text : trunk.sourceCidrs()) {
                parse(text, trunk).ifPresent(cidrs::add);
            }
            for (TrunkAccess.DigestUser user : trunk.digestUsers()) {
                users.put(user.username(), new DigestIdentity(trunk, user));
            }
        }
        // Longest prefix first, so the first match is the most specific one.
        cidrs.sort((a, b) -> Integer.compare(b.prefixLength(), a.prefixLength()));
        return new TrunkIdentification(List.copyOf(cidrs), Map.copyOf(users), Map.copyOf(byId));
    }

    /** The enabled trunk whose CIDRs contain {@code source} (most specific first). */
    public Optional<TrunkAccess> bySource(InetAddress source) {
        byte[] address = source.getAddress();
        for (Cidr cidr : cidrs) {
            if (cidr.contains(address)) {
                return Optional.of(cidr.trunk());
            }
        }
        return Optional.empty();
    }

    /** Whether any enabled trunk authenticates by digest; if none does, unknown sources get 403, not a challenge. */
    public boolean hasDigestUsers() {
        return !digestUsers.isEmpty();
    }

    public Optional<DigestIdentity> byDigestUser(String username) {
        return Optional.ofNullable(digestUsers.get(username));
    }

    public Optional<TrunkAccess> trunk(long trunkId) {
        return Optional.ofNullable(trunks.get(trunkId));
    }

    private static Optional<Cidr> parse(String text, TrunkAccess trunk) {
        String[] parts = text.trim().split("/");
        try {
            // Literal addresses only (validated on input), so this never touches DNS.
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            int length = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            if (length <= 0 || length > network.length * 8) {
                // A /0 stored before the API refused it would make every caller this customer.
                return Optional.empty();
            }
            return Optional.of(new Cidr(network, length, trunk));
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
