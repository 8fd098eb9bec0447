package io.tandem.console.node;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code tandem.*}. Each property can be set in {@code application.yml}, by
 * environment ({@code TANDEM_SIP_PORT}) or on the command line ({@code --tandem.sip.port=5070}).
 * docs/configuration.md lists them with their defaults.
 *
 * @param nodeId  this node's name in the cluster, CDRs and leases (default: the host name)
 * @param dataDir embedded database, CDR spool, TLS key (default {@code ./data})
 */
@ConfigurationProperties("tandem")
public record TandemProperties(
        String nodeId,
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Sip sip,
        @DefaultValue Api api,
        @DefaultValue Cluster cluster,
        @DefaultValue Media media,
        @DefaultValue Demo demo,
        @DefaultValue EmbeddedDatabase embeddedDatabase,
        @DefaultValue Breaker breaker,
        @DefaultValue Decks decks,
        @DefaultValue Metrics metrics,
        @DefaultValue Login login,
        @DefaultValue Registrar registrar,
        @DefaultValue Billing billing) {

    /**
     * @param address          listen address for SIP
     * @param port             UDP and TCP port
     * @param tlsPort          TLS port
     * @param externalAddress  address written in Via/Contact/SDP when behind NAT (default: address)
     * @param enabled          false starts the node without SIP listeners (console/API only)
     * @param floodAllowList   sources flood protection never limits or bans (load balancers, peers);
     *                         provisioned trunk CIDRs are trusted as well
     * @param dnsServers       name servers ({@code host[:port]}) for looking up vendor gateways by
     *                         NAPTR/SRV/A (RFC 3263); empty uses those of {@code /etc/resolv.conf}
     * @param sessionMinSe     shortest session interval a customer may ask for (RFC 4028 Min-SE, shorter gets 422)
     * @param sessionExpires   session interval the switch asks for when a customer supports timers but names none
     * @param realm            the digest realm of every challenge; digest users are stored for it (changing it means
     *                         setting their passwords again)
     * @param trustedProxies   CIDRs of SIP proxies (the load balancer) whose {@code X-Tandem-Source} header names the
     *                         customer's address; never {@code /0}
     * @param floodRate        messages per second an unprovisioned source may send on average
     * @param floodBurst       messages an unprovisioned source may send at once (16 per 2 s by default, like Kamailio's pike)
     * @param floodBan         how long a source over its rate, or banned for guessing, is dropped
     * @param dropScanners     drop requests whose User-Agent names a known scanner (without banning: the header is spoofable)
     * @param maxServerTransactions          live server transactions at most; beyond, a stateless 503 with Retry-After
     * @param maxServerTransactionsPerSource live server transactions per unprovisioned source address
     * @param maxConnections   accepted TCP/TLS connections in all
     * @param maxConnectionsPerAddress accepted TCP/TLS connections from one source address
     * @param connectionIdleTimeout    TCP/TLS connections without traffic this long are closed (held registration
     *                         flows are kept while their binding lives)
     * @param eventLoops       SIP event loops (and UDP sockets with SO_REUSEPORT); 0 = one per core
     * @param spreadUdpReads   spread each sender's datagrams over all the UDP sockets (epoll), not one socket per sender
     * @param udpReceiveBuffer what each UDP socket asks the kernel to queue (SO_RCVBUF; granted up to net.core.rmem_max)
     * @param digest           digest nonces and guessing limits
     * @param tls              the TLS listener's key store and the trust store for vendor gateways
     * @param overload         when new INVITEs are shed because the node itself is overloaded
     */
    public record Sip(
            @DefaultValue("0.0.0.0") String address,
            @DefaultValue("5060") int port,
            @DefaultValue("5061") int tlsPort,
            String externalAddress,
            @DefaultValue("true") boolean enabled,
            @DefaultValue({"127.0.0.1/32", "::1/128"}) List<String> floodAllowList,
            List<String> dnsServers,
            @DefaultValue("90s") java.time.Duration sessionMinSe,
            @DefaultValue("1800s") java.time.Duration sessionExpires,
            @DefaultValue("tandem") String realm,
            List<String> trustedProxies,
            @DefaultValue("8") int floodRate,
            @DefaultValue("16") int floodBurst,
            @DefaultValue("5m") java.time.Duration floodBan,
            @DefaultValue("true") boolean dropScanners,
            @DefaultValue("200000") int maxServerTransactions,
            @DefaultValue("200") int maxServerTransactionsPerSource,
            @DefaultValue("10000") int maxConnections,
            @DefaultValue("64") int maxConnectionsPerAddress,
            @DefaultValue("5m") java.time.Duration connectionIdleTimeout,
            @DefaultValue("0") int eventLoops,
            @DefaultValue("false") boolean spreadUdpReads,
            @DefaultValue("4MB") org.springframework.util.unit.DataSize udpReceiveBuffer,
            @DefaultValue Digest digest,
            @DefaultValue Tls tls,
            @DefaultValue Overload overload) {
        public Sip {
            if (maxConnectionsPerAddress < 1 || maxConnections < 1) {
                throw new IllegalArgumentException("tandem.sip.max-connections and max-connections-per-address must be at least 1");
            }
            if (connectionIdleTimeout.isNegative() || connectionIdleTimeout.isZero()) {
                throw new IllegalArgumentException("tandem.sip.connection-idle-timeout must be positive");
            }
            if (eventLoops < 0 || eventLoops > 256) {
                throw new IllegalArgumentException("tandem.sip.event-loops must be 0 (one per core) to 256");
            }
            if (udpReceiveBuffer.toBytes() < 64 * 1024 || udpReceiveBuffer.toBytes() > 1024L * 1024 * 1024) {
                throw new IllegalArgumentException("tandem.sip.udp-receive-buffer must be 64KB to 1GB, not " + udpReceiveBuffer);
            }
            trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
            dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        }

        /** {@code host[:port]} entries (port 53 by default) as socket addresses; throws naming a bad entry. */
        public List<java.net.InetSocketAddress> dnsServerAddresses() {
            List<java.net.InetSocketAddress> out = new java.util.ArrayList<>();
            for (String entry : dnsServers) {
                String e = entry.trim();
                int colon = e.lastIndexOf(':');
                boolean hasPort = colon > 0 && e.indexOf(':') == colon || e.startsWith("[") && e.contains("]:");
                String host = hasPort ? e.substring(0, colon) : e;
                int port;
                try {
                    port = hasPort ? Integer.parseInt(e.substring(colon + 1)) : 53;
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("tandem.sip.dns-servers: bad port in '" + entry + "'", ex);
                }
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                if (host.isEmpty() || port < 1 || port > 65535) {
                    throw new IllegalArgumentException("tandem.sip.dns-servers: '" + entry + "' is not host[:port]");
                }
                out.add(new java.net.InetSocketAddress(host, port));
            }
            return out;
        }
    }

    /**
     * Digest authentication of trunks with digest users.
     *
     * @param nonceLifetime    how long a nonce may be used (with a growing nonce count); older is challenged again (stale)
     * @param maxTrackedNonces nonces whose count is remembered (only correctly answered ones); past it the oldest are
     *                         forgotten and challenged again, never replayable
     * @param slowAfter        wrong answers to its own challenges after which a source gets silence between answers
     * @param banAfter         wrong answers after which it is banned for {@code flood-ban}
     * @param failureWindow    wrong answers older than this are forgotten
     * @param firstPause       the first silence; each further wrong answer doubles it
     */
    public record Digest(@DefaultValue("5m") java.time.Duration nonceLifetime,
                         @DefaultValue("100000") int maxTrackedNonces,
                         @DefaultValue("3") int slowAfter,
                         @DefaultValue("10") int banAfter,
                         @DefaultValue("10m") java.time.Duration failureWindow,
                         @DefaultValue("1s") java.time.Duration firstPause) {
    }

    /**
     * Shedding new INVITEs at the edge when the node itself is overloaded (503 with Retry-After, before any
     * transaction, routing or database work).
     *
     * @param enabled      false admits every INVITE (the transaction caps still hold)
     * @param maxLoopLag   an event loop running its tasks this late, or a UDP socket backlogged this long, for 20 ms, means overload
     * @param maxLoopTasks as many tasks waiting on one event loop means the same
     * @param retryAfter   the Retry-After of a shed INVITE's 503
     */
    public record Overload(@DefaultValue("true") boolean enabled,
                           @DefaultValue("50ms") java.time.Duration maxLoopLag,
                           @DefaultValue("2000") int maxLoopTasks,
                           @DefaultValue("2s") java.time.Duration retryAfter,
                           @DefaultValue("0.85") double targetLoopUtilization) {
    }

    /**
     * SIP over TLS (RFC 3261 §26.2, RFC 5922).
     *
     * @param keyStore           the listener's key and certificate chain (PKCS#12 or JKS), also shown to vendors
     *                           that ask for a client certificate; without it a self-signed certificate is generated
     *                           in {@code <data-dir>/tls/sip-tls.p12}
     * @param keyStorePassword   its password (also the key's)
     * @param keyStoreType       {@code PKCS12} or {@code JKS}
     * @param trustStore         CAs vendor gateways' certificates must chain to (a vendor's private CA); without it
     *                           the JDK's {@code cacerts}
     * @param trustStorePassword its password
     * @param trustStoreType     {@code PKCS12} or {@code JKS}
     */
    public record Tls(Path keyStore,
                      @DefaultValue("changeit") String keyStorePassword,
                      @DefaultValue("PKCS12") String keyStoreType,
                      Path trustStore,
                      String trustStorePassword,
                      @DefaultValue("PKCS12") String trustStoreType) {
    }

    /** @param bootstrapKey an API key accepted in addition to the stored ones (env TANDEM_API_BOOTSTRAP_KEY) */
    public record Api(String bootstrapKey) {
    }

    /**
     * @param peers        the other nodes of the cluster
     * @param eventKey     the key every node of the cluster shares to seal its registration events (HMAC-SHA256,
     *                     at least 16 characters); unset, the node neither sends nor accepts them (docs/registrations.md)
     * @param eventMaxSkew how far apart nodes' clocks may be (and how long an event may travel): older or newer
     *                     events are refused as replays
     */
    public record Cluster(@DefaultValue("10s") java.time.Duration heartbeatInterval, List<Peer> peers, String eventKey,
                          @DefaultValue("30s") java.time.Duration eventMaxSkew) {
        public Cluster {
            peers = peers == null ? List.of() : List.copyOf(peers);
        }
    }

    /**
     * A peer node: its name, base URL and the API key this node presents to it.
     *
     * @param sipAddress where it takes SIP ({@code ip:port}, UDP) for registration events; unset, it gets none
     */
    public record Peer(String name, String url, String apiKey, String sipAddress) {
    }

    /**
     * The registrar for customers with dynamic addresses (docs/registrations.md).
     *
     * @param enabled             false answers REGISTER 405 as before
     * @param minExpires          shorter asked intervals get 423 with Min-Expires
     * @param maxExpires          longer asked intervals are shortened to this
     * @param defaultExpires      interval when a REGISTER names none
     * @param maxContactsPerTrunk contacts one trunk may have registered across the cluster
     * @param maxBindings         bindings one node remembers (its own and its peers'): the memory bound
     */
    public record Registrar(@DefaultValue("true") boolean enabled,
                            @DefaultValue("60s") java.time.Duration minExpires,
                            @DefaultValue("3600s") java.time.Duration maxExpires,
                            @DefaultValue("3600s") java.time.Duration defaultExpires,
                            @DefaultValue("10") int maxContactsPerTrunk,
                            @DefaultValue("200000") int maxBindings) {
    }

    /**
     * The RTP relay (docs/media.md).
     *
     * @param portRange     relay ports, {@code low-high}; even RTP, odd RTCP
     * @param address       address the relay binds (default: {@code tandem.sip.address})
     * @param publicAddress address written into SDP, for a relay behind 1:1 NAT (default: {@code tandem.sip.external-address},
     *                      else the bind address)
     * @param timeout       no RTP either way for this long after answer ends the call (CDR reason {@code media timeout})
     * @param holdTimeout   the same while a stream is on hold (sendonly / recvonly / inactive)
     * @param threads       relay event loops (0: one per core)
     */
    public record Media(@DefaultValue("16384-32767") String portRange, String address, String publicAddress,
                        @DefaultValue("60s") java.time.Duration timeout, @DefaultValue("1h") java.time.Duration holdTimeout,
                        @DefaultValue("0") int threads) {
    }

    /** @param enabled seed the demo accounts, trunk, gateways and decks on first start */
    public record Demo(@DefaultValue("true") boolean enabled) {
    }

    /**
     * Per-vendor-gateway circuit breakers (per node).
     *
     * @param windowSize        attempts in the sliding window
     * @param minimumCalls      attempts before the failure rate counts
     * @param failureRatePercent open when this share of the window failed (timeouts, 408, 5xx)
     * @param openFor           how long an open breaker refuses calls before probing
     * @param halfOpenCalls     probe calls let through when half-open
     */
    public record Breaker(@DefaultValue("50") int windowSize, @DefaultValue("20") int minimumCalls,
                          @DefaultValue("50") float failureRatePercent, @DefaultValue("30s") java.time.Duration openFor,
                          @DefaultValue("5") int halfOpenCalls) {
    }

    /**
     * How much of a rate deck upload is read before it is refused with 413; see
     * {@link io.tandem.routing.deck.DeckLimits} for why the defaults fit a 1,000,000-row deck.
     *
     * @param maxUploadSize       the file as sent (also Spring's multipart limit)
     * @param maxDecompressedSize the CSV text a gzip or zip file unpacks to
     * @param maxRows             records after the header, blank ones included
     */
    public record Decks(@DefaultValue("200MB") org.springframework.util.unit.DataSize maxUploadSize,
                        @DefaultValue("1GB") org.springframework.util.unit.DataSize maxDecompressedSize,
                        @DefaultValue("2000000") int maxRows) {

        public io.tandem.routing.deck.DeckLimits limits() {
            return new io.tandem.routing.deck.DeckLimits(maxUploadSize.toBytes(), maxDecompressedSize.toBytes(), maxRows);
        }
    }

    /**
     * @param allowedSources CIDRs that may read {@code /actuator/prometheus} and {@code /actuator/metrics}
     *                       without an API key (the metrics name vendors and their traffic); anyone
     *                       else needs a valid {@code X-Api-Key} of any role
     */
    public record Metrics(@DefaultValue({"127.0.0.1/32", "::1/128"}) List<String> allowedSources) {
    }

    /**
     * Console sign-in throttling: once a user name or a source address has {@code maxFailuresPer…}
     * failed sign-ins in a window that began at its first failure, every sign-in for it is refused
     * until the window ends, without checking the password.
     *
     * @param maxFailuresPerUser   failed sign-ins for one user name per window
     * @param maxFailuresPerSource failed sign-ins from one source address per window
     * @param window               how long a window lasts
     */
    public record Login(@DefaultValue("5") int maxFailuresPerUser, @DefaultValue("20") int maxFailuresPerSource,
                        @DefaultValue("15m") java.time.Duration window) {
    }

    /**
     * @param port TCP port of the embedded PostgreSQL on 127.0.0.1 (0 = any free port)
     * @param nice nice value of the embedded PostgreSQL's processes (0 = as started), so that the
     *             SIP event loops go first when the cores are busy
     */
    public record EmbeddedDatabase(@DefaultValue("0") int port, @DefaultValue("10") int nice) {
    }

    /**
     * @param settlementLinger how long the settlement writer waits for more calls' settlements once one arrived,
     *                         before it writes them in one transaction: longer means fewer, larger commits (part of
     *                         the database's work is per commit) and balances and CDRs that much later
     * @param settlementBatch  settlements written in one transaction at most
     */
    public record Billing(@DefaultValue("10ms") java.time.Duration settlementLinger,
                          @DefaultValue("500") int settlementBatch) {
        public Billing {
            if (settlementLinger.isNegative() || settlementLinger.compareTo(java.time.Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("tandem.billing.settlement-linger must be between 0 and 1s, not "
                    + settlementLinger);
            }
            if (settlementBatch < 1 || settlementBatch > 10_000) {
                throw new IllegalArgumentException("tandem.billing.settlement-batch must be between 1 and 10000, not "
                    + settlementBatch);
            }
        }
    }

    public String effectiveNodeId() {
        if (nodeId != null && !nodeId.isBlank()) {
            return nodeId;
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "node-1";
            }
        }
        return host;
    }
}
