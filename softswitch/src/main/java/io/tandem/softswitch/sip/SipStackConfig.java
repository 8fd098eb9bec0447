package io.tandem.softswitch.sip;

import io.tandem.softswitch.sip.protection.OverloadConfig;
import io.tandem.softswitch.sip.protection.ProtectionConfig;
import io.tandem.softswitch.sip.transaction.TransactionConfig;
import io.tandem.softswitch.sip.transport.SipListeners;
import io.tandem.softswitch.sip.transport.SipTlsConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a {@link SipStack} needs to start. Ports: 0 picks a free one (tests), -1 turns
 * the listener off.
 *
 * @param bindAddress          address the listeners bind to ({@code 0.0.0.0} for all)
 * @param externalAddress      host written into our Via and Contact headers; the bind address when null
 * @param udpPort              UDP port, default 5060
 * @param tcpPort              TCP port, default 5060
 * @param tlsPort              TLS port, default 5061
 * @param dataDir              where a generated TLS key and certificate are kept ({@code ./data})
 * @param tls                  the listener's key store (generated under dataDir when none) and the trust store
 *                             vendor gateways' certificates are checked against
 * @param eventLoops           I/O threads (0 = one per core); calls are spread over them by Call-ID
 * @param nativeTransport      use epoll when available (SO_REUSEPORT: one UDP socket per event loop)
 * @param idleTimeout          idle TCP/TLS connections are closed after this
 * @param maxConnectionsPerIp  accepted TCP/TLS connections per source address
 * @param maxConnections       accepted TCP/TLS connections in all; further ones are closed at once
 * @param transactions         timers and stateless answers
 * @param protection           flood protection
 * @param dnsServers           name servers for gateway lookups (RFC 3263); empty for those of {@code /etc/resolv.conf}
 * @param overload             when new INVITEs are shed because the node itself is overloaded (default: on)
 * @param spreadUdpReads       with epoll: spread every sender's datagrams over all the UDP sockets of the port
 *                             (default: off; no gain measured on a 2-core box, docs/performance.md), instead of the kernel's hash of the sender's address and port, which gives
 *                             all of one peer to one socket and one event loop (see {@code ReusePortSpread})
 * @param udpReceiveBuffer     octets each UDP socket asks the kernel to queue ({@code SO_RCVBUF}, default 4 MiB,
 *                             64 KiB to 1 GiB): what a burst can wait in before the kernel drops datagrams
 */
public record SipStackConfig(String bindAddress, String externalAddress, int udpPort, int tcpPort, int tlsPort,
                             Path dataDir, SipTlsConfig tls, int eventLoops,
                             boolean nativeTransport, Duration idleTimeout, int maxConnectionsPerIp, int maxConnections,
                             TransactionConfig transactions, ProtectionConfig protection,
                             List<InetSocketAddress> dnsServers, OverloadConfig overload, boolean spreadUdpReads,
                             int udpReceiveBuffer) {

    /** Accepted TCP/TLS connections in all unless configured: far above a carrier's trunks, far below the descriptor limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    static final int MIN_UDP_RECEIVE_BUFFER = 64 * 1024;
    static final int MAX_UDP_RECEIVE_BUFFER = 1024 * 1024 * 1024;

    public SipStackConfig {
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        tls = tls == null ? SipTlsConfig.defaults() : tls;
        overload = overload == null ? OverloadConfig.defaults() : overload;
        if (udpReceiveBuffer < MIN_UDP_RECEIVE_BUFFER || udpReceiveBuffer > MAX_UDP_RECEIVE_BUFFER) {
            throw new IllegalArgumentException("UDP receive buffer must be 64 KiB to 1 GiB, not " + udpReceiveBuffer + " octets");
        }
    }

    /** Listens on all addresses at 5060 (UDP, TCP) and 5061 (TLS) with RFC timers and default protection. */
    public static SipStackConfig defaults() {
        return new SipStackConfig("0.0.0.0", null, 5060, 5060, 5061, Path.of("data"), SipTlsConfig.defaults(), 0, true,
            Duration.ofMinutes(5), 64, DEFAULT_MAX_CONNECTIONS, TransactionConfig.defaults(), ProtectionConfig.defaults(), List.of(), OverloadConfig.defaults(), false,
            SipListeners.DEFAULT_UDP_RECEIVE_BUFFER);
    }

    /**
     * UDP and TCP on free ports of 127.0.0.1, no TLS, no overload shedding (a test on a busy machine must not see
     * its INVITEs shed; the overload tests turn it on): for tests and tools.
     */
    public static SipStackConfig loopback() {
        return new SipStackConfig("127.0.0.1", null, 0, 0, -1, Path.of("data"), SipTlsConfig.defaults(), 2, true,
            Duration.ofMinutes(5), 64, DEFAULT_MAX_CONNECTIONS, TransactionConfig.defaults(), ProtectionConfig.defaults(), List.of(), OverloadConfig.disabled(), false,
            SipListeners.DEFAULT_UDP_RECEIVE_BUFFER);
    }

    public SipStackConfig withUdpReceiveBuffer(int octets) {
        return new SipStackConfig(bindAddress, externalAddress, udpPort, tcpPort, tlsPort, dataDir, tls,
            eventLoops, nativeTransport, idleTimeout, maxConnectionsPerIp, maxConnections, transactions, protection, dnsServers, overload,
            spreadUdpReads, octets);
    }

    public SipStackConfig withPorts(int udp, int tcp, int tlsListener) {
        return new SipStackConfig(bindAddress, externalAddress, udp, tcp, tlsListener, dataDir, tls,
            eventLoops, nativeTransport, idleTimeout, maxConnectionsPerIp, maxConnections, transactions, protection, dnsServers, overload, spreadUdpReads, udpReceiveBuffer);
    }

    public SipStackConfig withProtection(ProtectionConfig p) {
        return new SipStackConfig(bindAddress, externalAddress, udpPort, tcpPort, tlsPort, dataDir, tls,
            eventLoops, nativeTransport, idleTimeout, maxConnectionsPerIp, maxConnections, transactions, p, dnsServers, overload, spreadUdpReads, udpReceiveBuffer);
    }

    public SipStackConfig withTransactions(TransactionConfig t) {
        return new SipStackConfig(bindAddress, externalAddress, udpPort, tcpPort, tlsPort, dataDir, tls,
            eventLoops, nativeTransport, idleTimeout, maxConnectionsPerIp, maxConnections, t, protection, dnsServers, overload, spreadUdpReads, udpReceiveBuffer);
    }

    public SipStackConfig withDataDir(Path dir) {
        return new SipStackConfig(bindAddress, externalAddress, udpPort, tcpPort, tlsPort, dir, tls,
            eventLoops, nativeTransport, idleTimeout, maxConnectionsPerIp, maxConnections, transactions, protection, dnsServers, overload, spreadUdpReads, udpReceiveBuffer);
    }

    public SipStackConfig withConnectionLimits(int perIp, Duration idle) {
        return new SipStackConfig(bindAddress, externalAddress, udpPort, tcpPort, tlsPort, dataDir, tls,
            eventLoops, nativeTransport, idle, perIp, maxConnections, transactions, protection, dnsServers, overload, spreadUdpReads, udpReceiveBuffer);
    }

    public SipStackConfig withMaxConnections(int max) {
        return new SipStackConfig(bindAddress, externalAddress, udpPort, tcpPort, tlsPort, dataDir, tls,
            eventLoops, nativeTransport, idleTimeout, maxConnectionsPerIp, max, transactions, protection,
            dnsServers, overload, spreadUdpReads, udpReceiveBuffer);
    }

    public SipStackConfig withDnsServers(List<InetSocketAddress> servers) {
        return new SipStackConfig(bindAddress, externalAddress, udpPort, tcpPort, tlsPort, dataDir, tls,
            eventLoops, nativeTransport, idleTimeout, maxConnectionsPerIp, maxConnections, transactions, protection,
            servers, overload, spreadUdpReads, udpReceiveBuffer);
    }

    public SipStackConfig withOverload(OverloadConfig o) {
        return new SipStackConfig(bindAddress, externalAddress, udpPort, tcpPort, tlsPort, dataDir, tls,
            eventLoops, nativeTransport, idleTimeout, maxConnectionsPerIp, maxConnections, transactions, protection,
            dnsServers, o, spreadUdpReads, udpReceiveBuffer);
    }

    public SipStackConfig withTls(SipTlsConfig t) {
        return new SipStackConfig(bindAddress, externalAddress, udpPort, tcpPort, tlsPort, dataDir, t,
            eventLoops, nativeTransport, idleTimeout, maxConnectionsPerIp, maxConnections, transactions, protection,
            dnsServers, overload, spreadUdpReads, udpReceiveBuffer);
    }

    public SipStackConfig withSpreadUdpReads(boolean spread) {
        return new SipStackConfig(bindAddress, externalAddress, udpPort, tcpPort, tlsPort, dataDir, tls,
            eventLoops, nativeTransport, idleTimeout, maxConnectionsPerIp, maxConnections, transactions, protection,
            dnsServers, overload, spread, udpReceiveBuffer);
    }
}
