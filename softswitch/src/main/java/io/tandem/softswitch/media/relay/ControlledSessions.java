package io.tandem.softswitch.media.relay;

import io.netty.channel.EventLoop;
import io.tandem.softswitch.media.remote.MediaNodeControl.Endpoint;
import io.tandem.softswitch.media.remote.MediaNodeControl.NodeLoad;
import io.tandem.softswitch.media.remote.MediaNodeControl.NodeStatus;
import io.tandem.softswitch.media.remote.MediaNodeControl.Released;
import io.tandem.softswitch.media.remote.MediaNodeControl.PortGrant;
import io.tandem.softswitch.media.remote.MediaNodeControl.SessionUpdate;
import io.tandem.softswitch.media.remote.MediaNodeControl.StreamTargets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media-node side of the control protocol: sessions that remote signalling nodes ("holders")
 * create, re-target and release on this node's relay, and the port pairs leased to them ahead of
 * their calls. At most {@code maxSessions} sessions at once on the relay, this node's own calls included (a node
 * with both roles carries its own calls beside the remote ones, and its load reports both). A holder silent for {@code holderTtl}
 * (no control call; its status calls come every second or two) is gone: its leases go back to the
 * range and its sessions are closed. Thread-safe; nothing here waits on a socket (binding and
 * closing are posted to each session's media loop).
 *
 * <p>Media timeout: an answered session with no RTP either way for the limit its holder set
 * ({@link SessionUpdate#silenceLimitMillis}) is reported to the holder in its next status call,
 * which ends the call; a session's media figures go back in the answer to its release.
 */
public final class ControlledSessions {

    private static final Logger log = LoggerFactory.getLogger(ControlledSessions.class);

    /** What became of an update. */
    public sealed interface Outcome {
        record Applied(NodeLoad load) implements Outcome {
        }

        record Refused(String why) implements Outcome {
        }
    }

    private static final class Holder {
        final Set<Integer> leased = new HashSet<>();
        Instant lastSeen;
    }

    private static final class Session {
        final String holder;
        final EventLoop loop;
        final List<RelayPort[]> streams = new ArrayList<>();
        long revision;
        /** When the holder said the call was answered (0: not yet); silence counts from then. */
        long answeredNanos;
        long silenceLimitNanos;
        boolean timedOut;

        Session(String holder, EventLoop loop) {
            this.holder = holder;
            this.loop = loop;
        }
    }

    private final MediaRelay relay;
    private final int maxSessions;
    private final Duration holderTtl;
    private final InstantSource clock;
    private final LongSupplier nanos;
    private final Map<String, Holder> holders = new HashMap<>();
    private final Map<UUID, Session> sessions = new HashMap<>();
    /** Calls released lately: an update that overtook the release on the way is ignored, not a new session. */
    private final Map<UUID, Instant> released = new HashMap<>();

    public ControlledSessions(MediaRelay relay, int maxSessions, Duration holderTtl, InstantSource clock) {
        this(relay, maxSessions, holderTtl, clock, System::nanoTime);
    }

    /** @param nanos the relay's packet clock ({@link System#nanoTime()}); a test moves it by hand */
    ControlledSessions(MediaRelay relay, int maxSessions, Duration holderTtl, InstantSource clock, LongSupplier nanos) {
        this.nanos = nanos;
        this.relay = relay;
        this.maxSessions = maxSessions;
        this.holderTtl = holderTtl;
        this.clock = clock;
    }

    public String address() {
        return relay.config().publicAddress();
    }

    public synchronized NodeLoad load() {
        return new NodeLoad(relay.activeSessions(), maxSessions);
    }

    /** Up to {@code pairs} port pairs for the holder (fewer when the range runs short). */
    public synchronized PortGrant lease(String holder, int pairs) {
        Holder h = touch(holder);
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            int port = relay.reservePortPair();
            if (port < 0) {
                break;
            }
            ports.add(port);
        }
        h.leased.addAll(ports);
        return new PortGrant(address(), ports, load());
    }

    /**
     * Renews the holder; its unused leases not in {@code unused} go back to the range (null: keep all). Answers
     * the load and the holder's answered sessions silent for their limit (each reported until released).
     */
    public synchronized NodeStatus status(String holder, List<Integer> unused) {
        Holder h = touch(holder);
        if (unused != null) {
            Set<Integer> keep = new HashSet<>(unused);
            for (Iterator<Integer> it = h.leased.iterator(); it.hasNext(); ) {
                int port = it.next();
                if (!keep.contains(port)) {
                    it.remove();
                    relay.returnReserved(port);
                }
            }
        }
        List<UUID> silent = new ArrayList<>();
        long now = nanos.getAsLong();
        for (Map.Entry<UUID, Session> entry : sessions.entrySet()) {
            Session session = entry.getValue();
            if (silent.size() < NodeStatus.MAX_SILENT && session.holder.equals(holder) && silent(session, now)) {
                silent.add(entry.getKey());
                if (!session.timedOut) {
                    session.timedOut = true;
                    relay.counters().timeouts.increment();
                }
            }
        }
        return new NodeStatus(relay.activeSessions(), maxSessions, silent);
    }

    /** Answered, with a limit, and no RTP from either side for it (the ports' last packet times are volatile). */
    private static boolean silent(Session session, long now) {
        if (session.answeredNanos == 0 || session.silenceLimitNanos <= 0) {
            return false;
        }
        long last = session.answeredNanos;
        for (RelayPort[] pair : session.streams) {
            last = Math.max(last, Math.max(pair[0].lastPacketNanos, pair[1].lastPacketNanos));
        }
        return now - last >= session.silenceLimitNanos;
    }

    public synchronized Outcome update(String holder, SessionUpdate update) {
        Holder h = touch(holder);
        if (released.containsKey(update.call())) {
            return new Outcome.Applied(load());
        }
        Session session = sessions.get(update.call());
        if (session == null) {
            int inUse = relay.activeSessions();
            if (inUse >= maxSessions) {
                return new Outcome.Refused("this media node is full: " + inUse + " of " + maxSessions + " sessions");
            }
            session = new Session(holder, relay.nextLoop());
        } else if (!session.holder.equals(holder)) {
            return new Outcome.Refused("call " + update.call() + " belongs to another signalling node");
        } else if (update.revision() <= session.revision) {
            return new Outcome.Applied(load());
        }
        List<Integer> claimed = new ArrayList<>();
        for (int i = 0; i < update.streams().size(); i++) {
            StreamTargets spec = update.streams().get(i);
            RelayPort[] pair = i < session.streams.size() ? session.streams.get(i) : null;
            if (pair != null && pair[0].rtpPort == spec.customerPort() && pair[1].rtpPort == spec.vendorPort()) {
                continue;
            }
            for (int port : new int[]{spec.customerPort(), spec.vendorPort()}) {
                if (!claim(h, port)) {
                    claimed.forEach(relay::returnReserved);
                    return new Outcome.Refused("port " + port + " is not leased to " + holder);
                }
                claimed.add(port);
            }
        }
        if (!sessions.containsKey(update.call())) {
            sessions.put(update.call(), session);
            relay.sessionOpened();
        }
        session.revision = update.revision();
        if (update.answered() && session.answeredNanos == 0) {
            session.answeredNanos = nanos.getAsLong();
        }
        session.silenceLimitNanos = Math.max(0, update.silenceLimitMillis()) * 1_000_000L;
        apply(session, update.streams());
        return new Outcome.Applied(load());
    }

    /**
     * Ends the session (if it is there) and keeps the call in mind a while, so that a late update does not revive
     * it. Completes on the session's media loop, with its figures read there as its ports close (null stats when
     * there was no such session of the holder).
     */
    public synchronized CompletableFuture<Released> release(String holder, UUID call) {
        touch(holder);
        released.put(call, clock.instant());
        Session session = sessions.get(call);
        if (session == null || !session.holder.equals(holder)) {
            return CompletableFuture.completedFuture(new Released(sessions.size(), maxSessions, null));
        }
        sessions.remove(call);
        int left = sessions.size();
        return close(session).thenApply(stats -> new Released(left, maxSessions, stats));
    }

    /** Drops holders silent for the TTL (their leases and sessions) and forgets old releases. Call every few seconds. */
    public void expire() {
        List<String> gone = new ArrayList<>();
        synchronized (this) {
            Instant cutoff = clock.instant().minus(holderTtl);
            released.values().removeIf(at -> at.isBefore(cutoff));
            for (Iterator<Map.Entry<String, Holder>> it = holders.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Holder> holder = it.next();
                if (holder.getValue().lastSeen.isBefore(cutoff)) {
                    it.remove();
                    holder.getValue().leased.forEach(relay::returnReserved);
                    gone.add(holder.getKey());
                }
            }
            for (Iterator<Map.Entry<UUID, Session>> it = sessions.entrySet().iterator(); it.hasNext(); ) {
                Session session = it.next().getValue();
                if (gone.contains(session.holder)) {
                    it.remove();
                    close(session);
                }
            }
        }
        gone.forEach(holder -> log.warn("signalling node {} silent for {} s: its media sessions and leases here are released",
                holder, holderTtl.toSeconds()));
    }

    private Holder touch(String name) {
        Holder h = holders.computeIfAbsent(name, n -> new Holder());
        h.lastSeen = clock.instant();
        return h;
    }

    private boolean claim(Holder holder, int port) {
        // a lease the holder's last status call gave back, when the port is still free, is as good
        return holder.leased.remove(port) || relay.reserveExactly(port);
    }

    private void apply(Session session, List<StreamTargets> streams) {
        for (int i = 0; i < streams.size(); i++) {
            StreamTargets spec = streams.get(i);
            RelayPort[] pair = i < session.streams.size() ? session.streams.get(i) : null;
            if (pair == null || pair[0].rtpPort != spec.customerPort() || pair[1].rtpPort != spec.vendorPort()) {
                if (pair != null) {
                    closeLater(session.loop, pair);
                }
                RelayPort customerSide = relay.bindReserved(spec.customerPort(), session.loop);
                RelayPort vendorSide = relay.bindReserved(spec.vendorPort(), session.loop);
                customerSide.pairWith(vendorSide);
                vendorSide.pairWith(customerSide);
                pair = new RelayPort[]{customerSide, vendorSide};
                if (i < session.streams.size()) {
                    session.streams.set(i, pair);
                } else {
                    session.streams.add(pair);
                }
            }
            RelayPort[] ports = pair;
            InetSocketAddress customer = target(spec.customer());
            InetSocketAddress vendor = target(spec.vendor());
            session.loop.execute(() -> {
                ports[0].expect(customer, spec.clockRate());
                ports[1].expect(vendor, spec.clockRate());
            });
        }
    }

    private static InetSocketAddress target(Endpoint endpoint) {
        return endpoint == null || endpoint.address() == null ? null : RelayedCall.target(endpoint.address(), endpoint.port());
    }

    /** Closes the session's ports on its loop; completes there with what they relayed. */
    private CompletableFuture<MediaStats> close(Session session) {
        List<RelayPort[]> pairs = List.copyOf(session.streams);
        CompletableFuture<MediaStats> figures = new CompletableFuture<>();
        relay.sessionClosed();
        session.loop.execute(() -> {
            MediaStats total = MediaStats.NONE;
            for (RelayPort[] pair : pairs) {
                total = total.plus(new MediaStats(pair[0].stats(), pair[1].stats()));
                for (RelayPort p : pair) {
                    p.close();
                    relay.releasePort(p);
                }
            }
            figures.complete(total);
        });
        return figures;
    }

    private void closeLater(EventLoop loop, RelayPort[] pair) {
        loop.execute(() -> {
            for (RelayPort p : pair) {
                p.close();
                relay.releasePort(p);
            }
        });
    }
}
