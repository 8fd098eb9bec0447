package io.tandem.softswitch.sip.transport;

import io.tandem.softswitch.sip.codec.SipTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a {@link SipDestination} to one socket address, after RFC 3263 §4 without NAPTR:
 * an IP literal is used as is; a domain with a port is looked up as A/AAAA; a domain without
 * a port is looked up as SRV ({@code _sip._udp}, {@code _sip._tcp}, {@code _sips._tcp}),
 * lowest priority then highest weight, falling back to A/AAAA on the default port.
 *
 * <p>Lookups block, so they run on this resolver's own small pool, never on an event loop.
 * The JDK caches A/AAAA answers ({@code networkaddress.cache.ttl}).
 */
public final class SipResolver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipResolver.class);
    private final ExecutorService pool;

    public SipResolver(int threads) {
        ThreadFactory f = Thread.ofPlatform().name("sip-dns-", 0).daemon().factory();
        this.pool = Executors.newFixedThreadPool(threads, f);
    }

    public CompletableFuture<InetSocketAddress> resolve(SipDestination d) {
        if (isIpLiteral(d.host())) {
            try {
                InetAddress a = InetAddress.getByName(stripBrackets(d.host()));
                return CompletableFuture.completedFuture(new InetSocketAddress(a, port(d)));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.supplyAsync(() -> lookup(d), pool);
    }

    private static InetSocketAddress lookup(SipDestination d) {
        String host = d.host();
        int port = d.port();
        if (port < 0) {
            List<Srv> srv = srv(srvName(d.transport(), host));
            if (!srv.isEmpty()) {
                Srv best = srv.getFirst();
                host = best.target();
                port = best.port();
            } else {
                port = d.transport().defaultPort();
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    record Srv(int priority, int weight, int port, String target) {
    }

    static String srvName(SipTransport t, String domain) {
        return switch (t) {
            case UDP -> "_sip._udp." + domain;
            case TCP -> "_sip._tcp." + domain;
            case TLS -> "_sips._tcp." + domain;
        };
    }

    /** SRV records, best first; empty when there are none or DNS cannot say. */
    static List<Srv> srv(String name) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        List<Srv> out = new ArrayList<>();
        DirContext ctx = null;
        try {
            ctx = new InitialDirContext(env);
            Attributes attrs = ctx.getAttributes("dns:///" + name, new String[] {"SRV"});
            Attribute a = attrs.get("SRV");
            if (a != null) {
                NamingEnumeration<?> e = a.getAll();
                while (e.hasMore()) {
                    String[] p = e.next().toString().split(" ");
                    if (p.length == 4) {
                        String target = p[3].endsWith(".") ? p[3].substring(0, p[3].length() - 1) : p[3];
                        out.add(new Srv(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), target));
                    }
                }
            }
        } catch (NamingException | NumberFormatException e) {
            LOG.debug("no usable SRV records for {}: {}", name, e.toString());
            return List.of();
        } finally {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (NamingException e) {
                    LOG.debug("closing DNS context failed", e);
                }
            }
        }
        out.sort(Comparator.comparingInt(Srv::priority).thenComparing(Comparator.comparingInt(Srv::weight).reversed()));
        return out;
    }

    private static int port(SipDestination d) {
        return d.port() >= 0 ? d.port() : d.transport().defaultPort();
    }

    static boolean isIpLiteral(String host) {
        if (host.startsWith("[") || host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
