package io.tandem.softswitch.call.identify;

import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.protection.AddressBlocks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where a request really comes from. Usually the packet's source; behind a SIP load balancer every
 * packet comes from the balancer, so for a source inside {@code tandem.sip.trusted-proxies} the
 * customer's address is the one the proxy wrote into {@value #HEADER} ({@code ip} or
 * {@code ip:port}, a literal, never a name). The header is believed from trusted proxies only;
 * from anyone else it is ignored, so a caller cannot choose whose trunk it is. A request from a
 * trusted proxy without a usable header is the proxy's own (its own OPTIONS keep-alives).
 *
 * <p>Kamailio sets it with {@code remove_hf("X-Tandem-Source"); append_hf("X-Tandem-Source: $si:$sp\r\n");}
 * before relaying (docs/deploy/kamailio-dispatcher.cfg). Immutable, thread-safe.
 */
public final class CustomerSource {

    public static final String HEADER = "X-Tandem-Source";
    /** Longer than any {@code [IPv6]:port}: not an address. */
    private static final int MAX_HEADER = 64;

    private final AddressBlocks trustedProxies;

    /**
     * @param trustedProxies CIDRs of the proxies whose {@value #HEADER} is believed
     * @throws IllegalArgumentException for an entry that is not a CIDR, or one that trusts everyone ({@code /0})
     */
    public CustomerSource(List<String> trustedProxies) {
        for (String cidr : trustedProxies) {
            if (cidr.trim().endsWith("/0")) {
                throw new IllegalArgumentException("tandem.sip.trusted-proxies: '" + cidr + "' would trust every source");
            }
        }
        this.trustedProxies = new AddressBlocks(trustedProxies.stream().map(String::trim).toList());
    }

    public static CustomerSource none() {
        return new CustomerSource(List.of());
    }

    public boolean isTrustedProxy(InetAddress address) {
        return !trustedProxies.isEmpty() && trustedProxies.contains(address);
    }

    /** The customer's address for a request that arrived from {@code packetSource}. */
    public InetSocketAddress of(SipRequest request, InetSocketAddress packetSource) {
        if (packetSource == null || !isTrustedProxy(packetSource.getAddress())) {
            return packetSource;
        }
        InetSocketAddress named = parse(request.header(HEADER));
        return named != null ? named : packetSource;
    }

    /** {@code 192.0.2.7}, {@code 192.0.2.7:5060}, {@code 2001:db8::7}, {@code [2001:db8::7]:5060}; null otherwise. */
    static InetSocketAddress parse(String value) {
        if (value == null) {
            return null;
        }
        String text = value.trim();
        if (text.isEmpty() || text.length() > MAX_HEADER) {
            return null;
        }
        String host = text;
        int port = 0;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = port(rest.substring(1));
            }
        } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
            int colon = text.indexOf(':');
            host = text.substring(0, colon);
            port = port(text.substring(colon + 1));
        }
        if (port < 0) {
            return null;
        }
        InetAddress address = AddressBlocks.literal(host);
        return address == null ? null : new InetSocketAddress(address, port);
    }

    private static int port(String digits) {
        if (digits.isEmpty() || digits.length() > 5) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return -1;
            }
        }
        int port = Integer.parseInt(digits);
        return port <= 65535 ? port : -1;
    }
}
