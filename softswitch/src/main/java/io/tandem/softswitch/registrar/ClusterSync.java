package io.tandem.softswitch.registrar;

import io.tandem.softswitch.sip.SipEndpoint;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.CSeq;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.SipUri;
import io.tandem.softswitch.sip.transaction.ClientTransaction;
import io.tandem.softswitch.sip.transaction.ClientTransactionListener;
import io.tandem.softswitch.sip.transaction.FirstLook;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import io.tandem.softswitch.sip.transport.SipDestination;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registrar's link to its peer nodes: each binding change goes to every peer as a SIP
 * {@code MESSAGE} (RFC 3428) with body type {@value #CONTENT_TYPE}, sealed with the cluster's shared
 * key ({@link ClusterEventSeal}); a MESSAGE from a peer is checked before it gets a transaction.
 *
 * <p>What a MESSAGE gets:
 * <pre>
 * other body type                       405 (the switch takes no other MESSAGE)
 * body over 4096 octets                 413
 * seal missing or wrong (forged)        403, stateless, nothing kept
 * sealed but not a valid event          400, with the field at fault
 * sealed, seen before or too old/new    403 (replay), nothing applied
 * sealed and fresh                      200, applied if newer than what is known
 * </pre>
 * None of them ever reaches the call engine.
 *
 * <p>Sends run on the registrar's loop through a non-INVITE client transaction each (so UDP losses
 * are retransmitted, RFC 3261 §17.1.2); a peer that does not answer is logged, and catches up by its
 * resync when it comes back. Thread-safe where noted.
 */
public final class ClusterSync {
    private static final Logger log = LoggerFactory.getLogger(ClusterSync.class);

    public static final String CONTENT_TYPE = "application/x-tandem-cluster-event";
    /** At most one warning per peer in this time, however many sends fail. */
    private static final long WARN_EVERY_MICROS = 10_000_000;

    /** A peer node's SIP address. */
    public record Peer(String name, String host, int port) {
    }

    /** Counters since start. */
    public record Counts(long sent, long sendFailures, long received, long refused) {
        public static final Counts NONE = new Counts(0, 0, 0, 0);
    }

    private final String nodeId;
    private final ClusterEventSeal seal;
    private final ClusterEventCodec codec = new ClusterEventCodec();
    private final List<Peer> peers;
    private final SipEndpoint sip;
    private final LongSupplier wallMicros;
    private final ReplayWindow replays;
    private final TransactionExecutor loop;
    private final LongAdder sent = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final long[] lastWarnedMicros;
    /** Per peer, on the registrar's loop: MESSAGEs sent and not yet answered, and events waiting for the window. */
    private final int[] inFlight;
    private final List<java.util.ArrayDeque<ClusterEvent>> queued;
    static final int MAX_IN_FLIGHT = 128;
    static final int MAX_QUEUED = 200_000;
    private long lastRefusalWarnedMicros;
    private volatile LongConsumer lagObserver = lag -> { };
    /**
     * Per peer, so each receiver sees a dense sequence and its replay window spans its own last 4,096
     * events; starts at the start time, so a restarted node's numbers are above its previous run's.
     */
    private final long[] nextSeq;

    /**
     * @param wallMicros UTC epoch microseconds
     * @param maxSkew    how far a sender's clock may differ and a MESSAGE may take (the replay window)
     */
    public ClusterSync(String nodeId, ClusterEventSeal seal, List<Peer> peers, SipEndpoint sip, LongSupplier wallMicros, Duration maxSkew) {
        this.nodeId = nodeId;
        this.seal = seal;
        this.peers = List.copyOf(peers);
        this.sip = sip;
        this.wallMicros = wallMicros;
        this.replays = new ReplayWindow(maxSkew.toNanos() / 1000);
        this.loop = sip.executorFor(Registrar.LOOP_KEY);
        this.lastWarnedMicros = new long[this.peers.size()];
        this.inFlight = new int[this.peers.size()];
        this.queued = this.peers.stream().map(peer -> new java.util.ArrayDeque<ClusterEvent>()).toList();
        this.nextSeq = new long[this.peers.size()];
        java.util.Arrays.fill(nextSeq, (wallMicros.getAsLong() / 1000) << 20);
    }

    public List<Peer> peers() {
        return peers;
    }

    /** The cluster key's seal (also of the flows in {@link FlowRelay}'s routes). */
    ClusterEventSeal seal() {
        return seal;
    }

    /**
     * Told each admitted peer event's lag in microseconds, on the registrar's loop: receive time minus the
     * change's time (its version is the wall clock of the change in microseconds, or just above), so time
     * queued at the sender counts.
     */
    public void onLag(LongConsumer observer) {
        this.lagObserver = observer;
    }

    /** Any thread. */
    public Counts counts() {
        return new Counts(sent.sum(), sendFailures.sum(), received.sum(), refused.sum());
    }

    /** Before a transaction (any loop, from memory): type, size, seal, syntax. */
    FirstLook firstLook(SipRequest message) {
        String type = message.contentType();
        if (type == null || !type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals(CONTENT_TYPE)) {
            return new FirstLook.StatelessAnswer(message.createResponse(405).header(HeaderName.ALLOW, "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER"));
        }
        if (message.bodyLength() > ClusterEventCodec.MAX_BODY) {
            refused.increment();
            return new FirstLook.StatelessAnswer(Registrar.warned(message.createResponse(413), nodeId, "cluster event too large"));
        }
        byte[] body = message.body();
        if (!seal.verify(body, message.header(ClusterEventSeal.HEADER))) {
            refused.increment();
            return new FirstLook.StatelessAnswer(Registrar.warned(message.createResponse(403), nodeId, "cluster event seal does not verify"));
        }
        try {
            return new FirstLook.Transaction(codec.decode(body));
        } catch (ClusterEventCodec.MalformedEvent e) {
            refused.increment();
            log.warn("A sealed cluster event does not parse ({}): a peer runs another version?", e.getMessage());
            return new FirstLook.StatelessAnswer(Registrar.warned(message.createResponse(400), nodeId, e.getMessage()));
        }
    }

    /** On the registrar's loop: null when the envelope is fresh (and now remembered), else why not. */
    String admit(ClusterEnvelope envelope) {
        long now = wallMicros.getAsLong();
        String why = replays.admit(envelope, now);
        if (why != null) {
            refused.increment();
            // one line per 10 s, however many come: a replay flood must not become a log flood
            if (now - lastRefusalWarnedMicros >= WARN_EVERY_MICROS) {
                lastRefusalWarnedMicros = now;
                log.warn("Refused a cluster event from {} (seq {}): {}; {} refused since start", envelope.node(), envelope.seq(), why,
                        refused.sum());
            }
            return why;
        }
        received.increment();
        lagObserver.accept(now - envelope.event().binding().version());
        return null;
    }

    /**
     * On the registrar's loop: one MESSAGE per event and peer, at most {@value #MAX_IN_FLIGHT} unanswered per
     * peer; the rest wait in a queue of at most {@value #MAX_QUEUED} per peer (beyond, an event is dropped and
     * counted as a failed send: the peer catches up by its expiry sweep and its next resync). Without the
     * window a slow peer gets UDP retransmissions on top of new events and falls further behind.
     */
    void publish(List<ClusterEvent> events) {
        for (ClusterEvent event : events) {
            for (int i = 0; i < peers.size(); i++) {
                if (inFlight[i] < MAX_IN_FLIGHT) {
                    send(i, event);
                } else if (queued.get(i).size() < MAX_QUEUED) {
                    queued.get(i).add(event);
                } else {
                    failed(i, "is " + MAX_QUEUED + " events behind; dropped one");
                }
            }
        }
    }

    /** A MESSAGE to the peer ended (answered or timed out): send the next queued one. */
    private void ended(int peerIndex) {
        inFlight[peerIndex]--;
        java.util.ArrayDeque<ClusterEvent> waiting = queued.get(peerIndex);
        while (inFlight[peerIndex] < MAX_IN_FLIGHT && !waiting.isEmpty()) {
            send(peerIndex, waiting.poll());
        }
    }

    private void send(int peerIndex, ClusterEvent event) {
        inFlight[peerIndex]++;
        Peer peer = peers.get(peerIndex);
        byte[] body = codec.encode(new ClusterEnvelope(nodeId, nextSeq[peerIndex]++, wallMicros.getAsLong(), event));
        SipUri target = SipUri.sip("tandem-cluster", peer.host(), peer.port());
        SipRequest message = SipRequest.builder(SipRequest.MESSAGE, target)
                .via(sip.newVia(SipTransport.UDP))
                .from(Address.of(SipUri.sip(nodeId, sip.contact().uri().host(), -1)).withTag(sip.newTag()))
                .to(Address.of(target))
                .callId(UUID.randomUUID().toString())
                .cseq(new CSeq(1, SipRequest.MESSAGE))
                .maxForwards(70)
                .header(ClusterEventSeal.HEADER, seal.seal(body))
                .body(CONTENT_TYPE, body)
                .build();
        sent.increment();
        sip.sendRequest(message, SipDestination.udp(peer.host(), peer.port()), loop, new ClientTransactionListener() {
            /** The window slot is given back once, whatever the transaction reports after its final answer. */
            private boolean done;

            @Override
            public void onResponse(ClientTransaction transaction, SipResponse response) {
                if (response.status() < 200 || done) {
                    return;
                }
                done = true;
                if (response.status() >= 300) {
                    failed(peerIndex, "answered " + response.status() + " " + response.reasonPhrase()
                            + (response.header(HeaderName.WARNING) == null ? "" : " (" + response.header(HeaderName.WARNING) + ")"));
                }
                ended(peerIndex);
            }

            @Override
            public void onTimeout(ClientTransaction transaction) {
                if (done) {
                    return;
                }
                done = true;
                failed(peerIndex, "did not answer");
                ended(peerIndex);
            }
        });
    }

    private void failed(int peerIndex, String what) {
        sendFailures.increment();
        long now = wallMicros.getAsLong();
        if (now - lastWarnedMicros[peerIndex] >= WARN_EVERY_MICROS) {
            lastWarnedMicros[peerIndex] = now;
            Peer peer = peers.get(peerIndex);
            log.warn("Peer {} ({}:{}) {} to a registration event ({} sends failed so far); it catches up by its resync when back",
                    peer.name(), peer.host(), peer.port(), what, sendFailures.sum());
        }
    }
}
