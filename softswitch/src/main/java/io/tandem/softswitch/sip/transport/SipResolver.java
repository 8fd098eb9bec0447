package io.tandem.softswitch.sip.transport;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.tandem.softswitch.sip.codec.SipTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link SipDestination} into the ordered {@link SipTarget}s to try, after RFC 3263 §4:
 *
 * <ul>
 *   <li>an IP literal is used as it is;</li>
 *   <li>{@link SipDestination.Lookup#ADDRESS}: the host's A/AAAA records on the given port;</li>
 *   <li>{@link SipDestination.Lookup#SRV}: SRV records for the transport ({@code _sip._udp},
 *       {@code _sip._tcp}, {@code _sips._tcp}), lowest priority first and, within a priority,
 *       a weighted random order per RFC 2782, chosen afresh for every request; A/AAAA on the
 *       given port when there are none;</li>
 *   <li>{@link SipDestination.Lookup#NAPTR}: NAPTR records with flag {@code s} and a service this
 *       node can send ({@code SIP+D2U}, {@code SIP+D2T}, {@code SIPS+D2T}), by order then
 *       preference, each followed by its SRV name (§4.1); without NAPTR, SRV for every usable
 *       transport; then A/AAAA with the given transport and port.</li>
 * </ul>
 *
 * <p>Every address of every SRV target becomes a target, so a client that fails over on a
 * transport error, a timeout or a {@code 503} (§4.3) walks the whole list. A target reported with
 * {@link #markFailed} goes to the end of every list for {@link #FAILED_TARGET_PENALTY}, so calls
 * stop waiting on a dead server first.
 *
 * <p>Lookups use Netty's asynchronous DNS client on one of the stack's event loops: nothing
 * blocks, and no thread waits for an answer. Name servers are those of {@code /etc/resolv.conf}
 * unless configured; {@code /etc/hosts} is honoured.
 */
public final class SipResolver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipResolver.class);

    /** How long a looked-up destination is reused before DNS is asked again. */
    public static final Duration TARGET_CACHE_TTL = Duration.ofSeconds(30);
    /** How long "DNS names no target" is remembered, so a dead domain does not cost a lookup per call. */
    public static final Duration NEGATIVE_CACHE_TTL = Duration.ofSeconds(5);
    /** How long a failed target is tried after the others. */
    public static final Duration FAILED_TARGET_PENALTY = Duration.ofSeconds(30);
    /** How long one DNS query may take. */
    public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

    /** A group of targets at one rank (lower is tried first); groups of one rank are ordered by weight. */
    record Choice(long rank, int weight, List<SipTarget> targets) {
    }

    record Srv(int priority, int weight, int port, String target) {
    }

    record Naptr(int order, int preference, String flags, String service, String replacement) {
    }

    private final DnsNameResolver dns;
    private final Set<SipTransport> usable;
    private final AsyncCache<SipDestination, List<Choice>> looked;
    private final Cache<SipTarget, Boolean> failed;

    /**
     * @param loop        the event loop the DNS client runs on
     * @param nameServers name servers to ask, or empty for the system's
     * @param usable      transports this node can send over (NAPTR/SRV offering others are skipped)
     */
    public SipResolver(EventLoop loop, Class<? extends DatagramChannel> datagramType,
                       Class<? extends SocketChannel> socketType, List<InetSocketAddress> nameServers,
                       Set<SipTransport> usable) {
        DnsNameResolverBuilder b = new DnsNameResolverBuilder(loop)
            .datagramChannelType(datagramType)
            .socketChannelType(socketType)
            .queryTimeoutMillis(QUERY_TIMEOUT.toMillis())
            .nameServerProvider(nameServers.isEmpty()
                ? DnsServerAddressStreamProviders.platformDefault()
                : new SequentialDnsServerAddressStreamProvider(nameServers.toArray(new InetSocketAddress[0])));
        this.dns = b.build();
        this.usable = Set.copyOf(usable);
        this.looked = Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run)
            .expireAfter(Expiry.<SipDestination, List<Choice>>creating(
                (d, choices) -> choices.isEmpty() ? NEGATIVE_CACHE_TTL : TARGET_CACHE_TTL))
            .buildAsync();
        this.failed = Caffeine.newBuilder().expireAfterWrite(FAILED_TARGET_PENALTY).maximumSize(10_000)
            .executor(Runnable::run).build();
    }

    /**
     * The targets for a destination, best first; completes on a DNS event loop (post the result
     * to your own) or at once when the answer is cached. Fails with {@link UnknownHostException}
     * when DNS names no usable target.
     */
    public CompletableFuture<List<SipTarget>> resolve(SipDestination d) {
        if (d.hostIsIpLiteral()) {
            try {
                return CompletableFuture.completedFuture(
                    List.of(new SipTarget(d.transport(), new InetSocketAddress(InetAddress.getByName(d.host()), d.portOrDefault()))));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return looked.get(d, (key, executor) -> lookup(key)).thenApply(choices -> {
            if (choices.isEmpty()) {
                throw new CompletionException(new UnknownHostException("DNS names no SIP target for " + d.host()
                    + " (" + d.lookup().name().toLowerCase(Locale.ROOT) + " lookup)"));
            }
            return order(choices, ThreadLocalRandom.current());
        });
    }

    /** Reports a target that did not answer or refused (RFC 3263 §4.3): it is tried last for a while. */
    public void markFailed(SipTarget target) {
        failed.put(target, Boolean.TRUE);
    }

    /** Orders choices by rank, each rank by RFC 2782 weighted selection, then moves failed targets last. */
    List<SipTarget> order(List<Choice> choices, RandomGenerator random) {
        List<Choice> byRank = new ArrayList<>(choices);
        byRank.sort(Comparator.comparingLong(Choice::rank));
        List<SipTarget> ordered = new ArrayList<>();
        int i = 0;
        while (i < byRank.size()) {
            int j = i;
            while (j < byRank.size() && byRank.get(j).rank() == byRank.get(i).rank()) {
                j++;
            }
            for (Choice c : weightedOrder(byRank.subList(i, j), random)) {
                ordered.addAll(c.targets());
            }
            i = j;
        }
        if (failed.estimatedSize() == 0 || ordered.size() < 2) {
            return ordered;
        }
        List<SipTarget> healthy = new ArrayList<>(ordered.size());
        List<SipTarget> suspect = new ArrayList<>();
        for (SipTarget t : ordered) {
            (failed.getIfPresent(t) == null ? healthy : suspect).add(t);
        }
        healthy.addAll(suspect);
        return healthy;
    }

    /**
     * RFC 2782: zero weights first, then repeatedly pick the first entry whose running weight sum
     * reaches a uniform random number in {@code [0, sum]}.
     */
    static List<Choice> weightedOrder(List<Choice> sameRank, RandomGenerator random) {
        if (sameRank.size() == 1) {
            return sameRank;
        }
        List<Choice> pool = new ArrayList<>(sameRank);
        pool.sort(Comparator.comparingInt(c -> c.weight() == 0 ? 0 : 1));
        List<Choice> out = new ArrayList<>(pool.size());
        while (!pool.isEmpty()) {
            int sum = 0;
            for (Choice c : pool) {
                sum += c.weight();
            }
            int pick = random.nextInt(sum + 1);
            int running = 0;
            int chosen = pool.size() - 1;
            for (int k = 0; k < pool.size(); k++) {
                running += pool.get(k).weight();
                if (running >= pick) {
                    chosen = k;
                    break;
                }
            }
            out.add(pool.remove(chosen));
        }
        return out;
    }

    private CompletableFuture<List<Choice>> lookup(SipDestination d) {
        CompletableFuture<List<Choice>> found = switch (d.lookup()) {
            case ADDRESS, FLOW -> addresses(d.transport(), d.host(), d.portOrDefault(), 0, 0).thenApply(List::of);
            case SRV -> srv(d.transport(), d.host(), 0)
                .thenCompose(c -> orAddresses(c, d));
            case NAPTR -> naptr(d.host())
                .thenCompose(c -> c.isEmpty() ? srvForEveryTransport(d.host()) : CompletableFuture.completedFuture(c))
                .thenCompose(c -> orAddresses(c, d));
        };
        return found.thenApply(choices -> choices.stream().filter(c -> !c.targets().isEmpty()).toList());
    }

    private CompletableFuture<List<Choice>> orAddresses(List<Choice> choices, SipDestination d) {
        if (!choices.isEmpty()) {
            return CompletableFuture.completedFuture(choices);
        }
        return addresses(d.transport(), d.host(), d.portOrDefault(), 0, 0).thenApply(List::of);
    }

    /** RFC 3263 §4.1: NAPTR records we can use, best first, each resolved through its SRV name. */
    private CompletableFuture<List<Choice>> naptr(String domain) {
        return records(domain, DnsRecordType.NAPTR, SipResolver::decodeNaptr).thenCompose(naptrs -> {
            List<Naptr> usableRecords = new ArrayList<>();
            for (Naptr n : naptrs) {
                SipTransport t = transportOfService(n.service());
                if (n.flags().equalsIgnoreCase("s") && t != null && usable.contains(t) && !n.replacement().isEmpty()) {
                    usableRecords.add(n);
                }
            }
            usableRecords.sort(Comparator.comparingInt(Naptr::order).thenComparingInt(Naptr::preference));
            List<CompletableFuture<List<Choice>>> lookups = new ArrayList<>();
            for (int i = 0; i < usableRecords.size(); i++) {
                Naptr n = usableRecords.get(i);
                lookups.add(srvByName(transportOfService(n.service()), n.replacement(), (long) i << 16));
            }
            return concat(lookups);
        });
    }

    /** RFC 3263 §4.1 without NAPTR: SRV for each transport this node can use, UDP, then TCP, then TLS. */
    private CompletableFuture<List<Choice>> srvForEveryTransport(String domain) {
        List<CompletableFuture<List<Choice>>> lookups = new ArrayList<>();
        int i = 0;
        for (SipTransport t : SipTransport.values()) {
            if (usable.contains(t)) {
                lookups.add(srv(t, domain, (long) i++ << 16));
            }
        }
        return concat(lookups);
    }

    private CompletableFuture<List<Choice>> srv(SipTransport t, String domain, long rankBase) {
        return srvByName(t, srvName(t, domain), rankBase);
    }

    private CompletableFuture<List<Choice>> srvByName(SipTransport t, String name, long rankBase) {
        return records(name, DnsRecordType.SRV, SipResolver::decodeSrv).thenCompose(srvs -> {
            List<CompletableFuture<List<Choice>>> lookups = new ArrayList<>();
            for (Srv s : srvs) {
                if (!s.target().isEmpty()) {
                    // RFC 2782: a target of "." says the service is decidedly not available.
                    lookups.add(addresses(t, s.target(), s.port(), rankBase + s.priority(), s.weight()).thenApply(List::of));
                }
            }
            return concat(lookups);
        });
    }

    private CompletableFuture<Choice> addresses(SipTransport t, String host, int port, long rank, int weight) {
        CompletableFuture<Choice> out = new CompletableFuture<>();
        dns.resolveAll(host).addListener((Future<List<InetAddress>> f) -> {
            if (!f.isSuccess()) {
                LOG.debug("no address for {}: {}", host, f.cause().toString());
                out.complete(new Choice(rank, weight, List.of()));
                return;
            }
            List<SipTarget> targets = new ArrayList<>();
            for (InetAddress a : f.getNow()) {
                targets.add(new SipTarget(t, new InetSocketAddress(a, port)));
            }
            out.complete(new Choice(rank, weight, List.copyOf(targets)));
        });
        return out;
    }

    private <T> CompletableFuture<List<T>> records(String name, DnsRecordType type, Function<ByteBuf, T> decoder) {
        CompletableFuture<List<T>> out = new CompletableFuture<>();
        dns.resolveAll(new DefaultDnsQuestion(name, type)).addListener((Future<List<DnsRecord>> f) -> {
            if (!f.isSuccess()) {
                LOG.debug("no {} records for {}: {}", type.name(), name, f.cause().toString());
                out.complete(List.of());
                return;
            }
            List<T> decoded = new ArrayList<>();
            for (DnsRecord r : f.getNow()) {
                try {
                    if (r instanceof DnsRawRecord raw && r.type().equals(type)) {
                        decoded.add(decoder.apply(raw.content().duplicate()));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("ignoring a malformed {} record for {}: {}", type.name(), name, e.toString());
                } finally {
                    ReferenceCountUtil.release(r);
                }
            }
            out.complete(decoded);
        });
        return out;
    }

    private static <T> CompletableFuture<List<T>> concat(List<CompletableFuture<List<T>>> parts) {
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(v -> {
            List<T> all = new ArrayList<>();
            for (CompletableFuture<List<T>> p : parts) {
                all.addAll(p.join());
            }
            return all;
        });
    }

    /** RFC 2782 RDATA: priority, weight, port, target. */
    static Srv decodeSrv(ByteBuf in) {
        int priority = in.readUnsignedShort();
        int weight = in.readUnsignedShort();
        int port = in.readUnsignedShort();
        return new Srv(priority, weight, port, name(in));
    }

    /** RFC 3403 RDATA: order, preference, flags, services, regexp, replacement. */
    static Naptr decodeNaptr(ByteBuf in) {
        int order = in.readUnsignedShort();
        int preference = in.readUnsignedShort();
        String flags = characterString(in);
        String service = characterString(in);
        characterString(in);
        return new Naptr(order, preference, flags, service, name(in));
    }

    private static String characterString(ByteBuf in) {
        int length = in.readUnsignedByte();
        return in.readCharSequence(length, StandardCharsets.US_ASCII).toString();
    }

    private static String name(ByteBuf in) {
        String n = DefaultDnsRecordDecoder.decodeName(in);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** RFC 3263 §4.1 service fields. */
    static SipTransport transportOfService(String service) {
        return switch (service.toUpperCase(Locale.ROOT)) {
            case "SIP+D2U" -> SipTransport.UDP;
            case "SIP+D2T" -> SipTransport.TCP;
            case "SIPS+D2T" -> SipTransport.TLS;
            default -> null;
        };
    }

    static String srvName(SipTransport t, String domain) {
        return switch (t) {
            case UDP -> "_sip._udp." + domain;
            case TCP -> "_sip._tcp." + domain;
            case TLS -> "_sips._tcp." + domain;
        };
    }

    @Override
    public void close() {
        dns.close();
    }
}
