package io.tandem.softswitch.registrar;

import io.tandem.routing.provisioning.TrunkAccess;
import io.tandem.softswitch.call.DigestFailureBans;
import io.tandem.softswitch.call.identify.CustomerSource;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.call.RegisteredTargets;
import io.tandem.softswitch.call.identify.RegisteredSources;
import io.tandem.softswitch.call.identify.TrunkIdentification;
import io.tandem.softswitch.sip.SipEndpoint;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.FirstLook;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registrar of RFC 3261 §10.3 for customers with dynamic addresses: a trunk's digest user
 * REGISTERs its contacts, and while bound, the contacts' source addresses identify the trunk for calls
 * ({@link RegisteredSources}). Every change goes to the peer nodes ({@link ClusterSync}).
 *
 * <p>{@link #firstLook} authenticates before any transaction exists, exactly like an INVITE's
 * screening: no credentials get a stateless {@code 401} with the node's digest challenges (RFC 3261
 * §22.2), wrong ones a stateless {@code 403} that counts towards the digest bans shared with INVITEs,
 * an unknown user the same {@code 403} after the same work. Cluster MESSAGEs are checked by
 * {@link ClusterSync#firstLook} the same way. Only then does a request get a transaction.
 *
 * <p>Threading: the binding table lives on one event loop ({@link #loop()}); REGISTERs, peer events,
 * the expiry sweep (every second) and the peer sends all run there. Nothing here blocks.
 */
public final class Registrar implements RegisteredSources, RegisteredTargets {
    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    /** The Call-ID whose loop owns the table: one fixed loop, whatever loop a REGISTER arrived on. */
    static final String LOOP_KEY = "tandem-registrar";
    static final long SWEEP_EVERY_MILLIS = 1000;

    /**
     * A REGISTER whose digest answer was right: who it is and where it comes from.
     *
     * @param customer where the customer is (a trusted proxy's {@code X-Tandem-Source}, else the packet's source)
     * @param packetSource where the REGISTER came from (over TCP/TLS: the connection's peer)
     */
    record Authenticated(TrunkAccess trunk, String username, InetSocketAddress customer, InetSocketAddress packetSource) {
    }

    private final RegistrarSettings settings;
    private final Supplier<TrunkIdentification> trunks;
    private final DigestAuthenticator digest;
    private final DigestFailureBans bans;
    private final SipEndpoint sip;
    private final CustomerSource customerSource;
    private final LongSupplier wallMillis;
    private final TransactionExecutor loop;
    private final Registrations table;
    private final ClusterSync sync;
    /** Null without a cluster key (a single node holds every flow itself). */
    private final FlowRelay relay;
    private final java.util.concurrent.atomic.LongAdder missedUnregistered = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder missedFlowClosed = new java.util.concurrent.atomic.LongAdder();
    private final String unknownUserMd5 = randomHex(16);
    private final String unknownUserSha256 = randomHex(32);
    private volatile boolean started;

    /**
     * @param sync       the peers' link, or null when the node has no cluster key (a single node)
     * @param wallMillis UTC epoch millis (expiry is absolute, so all nodes agree on it)
     */
    public Registrar(RegistrarSettings settings, Supplier<TrunkIdentification> trunks, DigestAuthenticator digest, DigestFailureBans bans,
                     SipEndpoint sip, CustomerSource customerSource, ClusterSync sync, LongSupplier wallMillis) {
        this.settings = settings;
        this.trunks = trunks;
        this.digest = digest;
        this.bans = bans;
        this.sip = sip;
        this.customerSource = customerSource;
        this.wallMillis = wallMillis;
        this.loop = sip.executorFor(LOOP_KEY);
        this.table = new Registrations(settings);
        this.sync = sync;
        this.relay = sync == null ? null : new FlowRelay(sync.seal(), sip, table::isRegistered, settings.nodeId());
    }

    /** Starts the expiry sweep. */
    public void start() {
        if (!started) {
            started = true;
            loop.execute(this::scheduleSweep);
        }
    }

    public TransactionExecutor loop() {
        return loop;
    }

    /** The peers' link, or null without a cluster key. */
    ClusterSync sync() {
        return sync;
    }

    // ------------------------------------------------------------------ any thread

    @Override
    public OptionalLong trunkOf(InetAddress source) {
        return table.trunkOf(source);
    }

    /** Whether a registered contact sends from this address (flood protection treats it as provisioned). */
    public boolean isRegistered(InetAddress source) {
        return table.isRegistered(source);
    }

    /**
     * Where a call to the trunk's registered contact goes first (docs/registrations.md): the first of
     * {@link #targetsOf} that can be reached, else the first (its connection closed), if any.
     */
    @Override
    public Optional<Target> targetOf(long trunkId) {
        List<Target> targets = targetsOf(trunkId);
        return targets.stream().filter(target -> target.unreachable() == null).findFirst().or(() -> targets.stream().findFirst());
    }

    /**
     * The trunk's bindings that have not expired, as call attempts try them (docs/registrations.md): highest {@code q}
     * first, then the most recently registered or refreshed; at most {@link #MAX_FORKED_CONTACTS}. Each is sent to the
     * flow itself when this node holds it (over TCP/TLS on the connection it registered on, and marked unreachable when
     * that connection has closed), else to the holder through the relay route; a binding of a holder this node cannot
     * reach (no cluster key, not a peer) is left out.
     */
    @Override
    public List<Target> targetsOf(long trunkId) {
        long now = wallMillis.getAsLong();
        List<Binding> live = new ArrayList<>();
        for (Binding binding : table.bindingsOf(trunkId)) {
            if (binding.expiresAtMillis() > now) {
                live.add(binding);
            }
        }
        live.sort(java.util.Comparator.comparingInt(Binding::q).thenComparingLong(Binding::version).reversed());
        List<Target> targets = new ArrayList<>(Math.min(live.size(), MAX_FORKED_CONTACTS));
        for (Binding binding : live) {
            if (targets.size() == MAX_FORKED_CONTACTS) {
                break;
            }
            SipTransport transport = transport(binding);
            if (transport != SipTransport.UDP && binding.node().equals(settings.nodeId()) && !sip.connectionOpen(transport, binding.source())) {
                contactOf(trunkId, binding).ifPresent(contact -> targets.add(new Target(contact, binding.source(), null, transport,
                        "the " + transport + " connection it registered on (" + binding.source().getAddress().getHostAddress() + ":"
                                + binding.source().getPort() + ") is closed")));
            } else {
                targetOf(trunkId, binding).ifPresent(targets::add);
            }
        }
        return targets;
    }

    private Optional<Target> targetOf(long trunkId, Binding best) {
        Optional<io.tandem.softswitch.sip.message.SipUri> contact = contactOf(trunkId, best);
        if (contact.isEmpty()) {
            return Optional.empty();
        }
        if (best.node().equals(settings.nodeId())) {
            return Optional.of(new Target(contact.get(), best.source(), null, transport(best), null));
        }
        if (relay == null) {
            return Optional.empty();
        }
        for (ClusterSync.Peer peer : sync.peers()) {
            if (peer.name().equals(best.node())) {
                return Optional.of(new Target(contact.get(), new InetSocketAddress(peer.host(), peer.port()),
                        relay.routeVia(peer.host(), peer.port(), new FlowRelay.Flow(best.source(), transport(best)))));
            }
        }
        return Optional.empty();
    }

    private static Optional<io.tandem.softswitch.sip.message.SipUri> contactOf(long trunkId, Binding binding) {
        try {
            return Optional.of(io.tandem.softswitch.sip.message.SipUri.parse(binding.contact()));
        } catch (IllegalArgumentException e) {
            // checked when it registered; a peer on another version may have sent one we cannot parse
            log.warn("registered contact of trunk {} does not parse: {}", trunkId, e.getMessage());
            return Optional.empty();
        }
    }

    private static SipTransport transport(Binding binding) {
        return switch (binding.transport().toUpperCase(Locale.ROOT)) {
            case "TCP" -> SipTransport.TCP;
            case "TLS" -> SipTransport.TLS;
            default -> SipTransport.UDP;
        };
    }

    @Override
    public void missed(long trunkId, Optional<Target> target) {
        (target.isEmpty() ? missedUnregistered : missedFlowClosed).increment();
    }

    /**
     * A request on a relay route ({@link FlowRelay}): relayed (or dropped) here without a transaction.
     * Any loop; false for every other request.
     */
    public boolean relays(SipRequest request, InetSocketAddress source) {
        if (relay == null || !FlowRelay.routed(request)) {
            return false;
        }
        relay.relay(request, source);
        return true;
    }

    /** A response to a request the relay forwarded: forwarded on; false for every other response. */
    public boolean relays(SipResponse response) {
        if (relay == null || !FlowRelay.relayedResponse(response)) {
            return false;
        }
        relay.relay(response);
        return true;
    }

    /** The sealed token of a UDP flow, as this node's relay routes carry it (tests build routes with it). */
    String relayToken(InetSocketAddress flow) {
        if (relay == null) {
            throw new IllegalStateException("no relay without a cluster key");
        }
        return relay.token(flow);
    }

    public RegistrarStats stats() {
        return new RegistrarStats(table.size(), table.ownSize(), sync == null ? ClusterSync.Counts.NONE : sync.counts(),
                relay == null ? FlowRelay.Counts.NONE : relay.counts(), missedUnregistered.sum(), missedFlowClosed.sum());
    }

    /** Every binding this node knows, read on the registrar's loop. */
    public CompletableFuture<List<Binding>> bindings() {
        CompletableFuture<List<Binding>> result = new CompletableFuture<>();
        loop.execute(() -> result.complete(table.all()));
        return result;
    }

    /**
     * A peer's whole table after this node started (docs/registrations.md, resync): applied like events,
     * so what is already known or newer here stays.
     *
     * @return how many entries changed something
     */
    public CompletableFuture<Integer> resync(List<ClusterEvent> entries) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        loop.execute(() -> {
            long now = wallMillis.getAsLong();
            int changed = 0;
            for (ClusterEvent entry : entries) {
                if (table.apply(entry, now)) {
                    changed++;
                }
            }
            result.complete(changed);
        });
        return result;
    }

    // ------------------------------------------------------------------ SIP: REGISTER and MESSAGE

    /** Before any transaction: REGISTER authentication, cluster MESSAGE seal. From memory, any loop. */
    public FirstLook firstLook(SipRequest request, InetSocketAddress source) {
        if (source == null) {
            return new FirstLook.Silence("no source to answer");
        }
        if (SipRequest.MESSAGE.equals(request.method())) {
            return sync == null
                    ? new FirstLook.StatelessAnswer(warned(request.createResponse(403), "this node takes no cluster events (no tandem.cluster.event-key)"))
                    : sync.firstLook(request);
        }
        return firstLookAtRegister(request, source);
    }

    public void onRequest(ServerTransaction transaction) {
        if (SipRequest.MESSAGE.equals(transaction.request().method())) {
            ClusterEnvelope envelope = (ClusterEnvelope) transaction.firstLook();
            loop.execute(() -> onClusterEvent(transaction, envelope));
        } else {
            onRegister(transaction);
        }
    }

    private FirstLook firstLookAtRegister(SipRequest register, InetSocketAddress source) {
        InetSocketAddress customer = customerSource.of(register, source);
        InetAddress address = customer.getAddress();
        if (bans.slowed(address)) {
            return new FirstLook.Silence("slowed after failed digest answers");
        }
        if (sip.isBanned(address)) {
            return new FirstLook.Silence("banned");
        }
        if (register.callId().length() > RegistrarSettings.MAX_CALL_ID) {
            return new FirstLook.StatelessAnswer(warned(register.createResponse(400), "Call-ID longer than " + RegistrarSettings.MAX_CALL_ID));
        }
        TrunkIdentification identification = trunks.get();
        String credentials = register.header(HeaderName.AUTHORIZATION);
        if (credentials == null) {
            return challengeOrRefuse(register, identification, address, false, false);
        }
        Optional<TrunkIdentification.DigestIdentity> identity = DigestAuthenticator.username(credentials)
                .flatMap(identification::byDigestUser)
                .filter(i -> digest.realm().equals(i.user().realm()) && i.trunk().enabled());
        TrunkAccess.DigestUser user = identity.map(TrunkIdentification.DigestIdentity::user).orElse(null);
        // An unknown user costs the same work and gets the same answer as a wrong password.
        DigestAuthenticator.Verdict verdict = digest.verify(credentials, register.method(), register.requestUri(), address,
                user == null ? unknownUserMd5 : user.ha1Md5(), user == null ? unknownUserSha256 : user.ha1Sha256(),
                identity.map(i -> i.trunk().digestMd5Allowed()).orElse(true));
        return switch (verdict) {
            case DigestAuthenticator.Verdict.Valid valid when identity.isPresent() ->
                    new FirstLook.Transaction(new Authenticated(identity.get().trunk(), valid.username(), customer, source));
            case DigestAuthenticator.Verdict.Valid valid -> new FirstLook.StatelessAnswer(warned(register.createResponse(403), "authentication failed"));
            case DigestAuthenticator.Verdict.Stale stale -> challengeOrRefuse(register, identification, address, true, stale.sha256Only());
            case DigestAuthenticator.Verdict.Failed failed -> {
                bans.failed(address);
                yield new FirstLook.StatelessAnswer(warned(register.createResponse(403), "authentication failed"));
            }
        };
    }

    private FirstLook challengeOrRefuse(SipRequest register, TrunkIdentification identification, InetAddress address, boolean stale,
                                        boolean sha256Only) {
        if (!identification.hasDigestUsers()) {
            return new FirstLook.StatelessAnswer(warned(register.createResponse(403), "no trunk registers by digest here"));
        }
        // RFC 3261 §22.2: a registrar (a UAS) challenges with 401 and WWW-Authenticate.
        SipResponse.Builder challenge = register.createResponse(401);
        for (String header : digest.challenges(address, stale, !sha256Only)) {
            challenge.addHeader(HeaderName.WWW_AUTHENTICATE, header);
        }
        return new FirstLook.StatelessAnswer(challenge);
    }

    private void onRegister(ServerTransaction tx) {
        SipRequest register = tx.request();
        if (!(tx.firstLook() instanceof Authenticated who)) {
            throw new IllegalStateException("REGISTER " + register.callId() + " reached the registrar without being authenticated");
        }
        String aor = register.to().uri() == null ? null : register.to().uri().user();
        if (aor == null || !aor.equals(who.username())) {
            // Each digest user registers its own address-of-record only (RFC 3261 §10.3 step 3 leaves the policy to us).
            tx.respond(warned(tx.responseBuilder(403), "To names another user than the credentials").build());
            return;
        }
        ParsedRegister parsed;
        try {
            parsed = parse(register);
        } catch (RegisterParseException e) {
            SipResponse.Builder answer = warned(tx.responseBuilder(e.status), e.getMessage());
            if (e.status == 423) {
                answer.header("Min-Expires", Long.toString(settings.minExpires().toSeconds()));
            }
            tx.respond(answer.build());
            return;
        }
        String transport = transportOf(register, tx.reliable());
        Registrations.Request request = new Registrations.Request(aor, who.trunk().trunkId(), who.customer(),
                transport, register.callId(), register.cseq().sequence(), parsed.removeAll(), parsed.contacts());
        // over TCP/TLS the contact is reached on this connection only: held open while a binding lives on it
        boolean onConnection = !"UDP".equals(transport) && who.customer().equals(who.packetSource());
        loop.execute(() -> {
            long now = wallMillis.getAsLong();
            if (!parsed.query()) {
                Registrations.Outcome outcome = registerOnLoop(request, now);
                if (onConnection) {
                    holdConnection(request.trunkId(), transport, who.customer(), now);
                }
                if (outcome instanceof Registrations.Outcome.Refused(RegisterRejection rejection)) {
                    SipResponse.Builder answer = warned(tx.responseBuilder(rejection.status()), rejection.text());
                    if (rejection.retryAfter() > 0) {
                        answer.header(HeaderName.RETRY_AFTER, Integer.toString(rejection.retryAfter()));
                    }
                    tx.respond(answer.build());
                    return;
                }
            }
            // §10.3 step 8: the 200 lists every current binding of the AOR with its remaining time.
            SipResponse.Builder ok = tx.responseBuilder(200);
            for (Binding binding : table.bindings(aor)) {
                ok.addHeader(HeaderName.CONTACT, "<" + binding.contact() + ">;expires=" + binding.secondsLeft(now)
                        + (binding.q() == Binding.DEFAULT_Q ? "" : ";q=" + binding.qValue()));
            }
            tx.respond(ok.build());
        });
    }

    /** An authenticated, parsed REGISTER applied on the registrar's loop (also how the sync probe drives a node). */
    CompletableFuture<Registrations.Outcome> register(Registrations.Request request) {
        CompletableFuture<Registrations.Outcome> result = new CompletableFuture<>();
        loop.execute(() -> result.complete(registerOnLoop(request, wallMillis.getAsLong())));
        return result;
    }

    private Registrations.Outcome registerOnLoop(Registrations.Request request, long now) {
        Registrations.Outcome outcome = table.register(request, now);
        if (sync != null && outcome instanceof Registrations.Outcome.Accepted accepted) {
            sync.publish(accepted.changes());
        }
        return outcome;
    }

    private void onClusterEvent(ServerTransaction tx, ClusterEnvelope envelope) {
        String refused = sync.admit(envelope);
        if (refused != null) {
            tx.respond(warned(tx.responseBuilder(403), refused).build());
            return;
        }
        table.apply(envelope.event(), wallMillis.getAsLong());
        tx.respond(200);
    }

    // ------------------------------------------------------------------ parsing a REGISTER

    private record ParsedRegister(boolean query, boolean removeAll, List<Registrations.ContactAsk> contacts) {
    }

    /** A REGISTER we cannot take as sent: its status and what to fix. */
    private static final class RegisterParseException extends Exception {
        final int status;

        RegisterParseException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** RFC 3261 §10.2 and §10.3 steps 6-7: contacts, {@code *}, and each contact's interval. */
    private ParsedRegister parse(SipRequest register) throws RegisterParseException {
        if (register.hasMalformed(HeaderName.CONTACT)) {
            throw new RegisterParseException(400, "Contact does not parse");
        }
        List<Address> contacts = register.contacts();
        Long headerExpires = seconds(register.header(HeaderName.EXPIRES), "Expires");
        if (contacts.isEmpty()) {
            // §10.2.3: no Contact asks for the current bindings.
            return new ParsedRegister(true, false, List.of());
        }
        if (contacts.size() > settings.maxContactsPerRequest()) {
            throw new RegisterParseException(400, "more than " + settings.maxContactsPerRequest() + " Contact values");
        }
        if (contacts.stream().anyMatch(Address::isWildcard)) {
            // §10.2.2 and §10.3 step 6: "*" only alone and with Expires: 0.
            if (contacts.size() != 1 || headerExpires == null || headerExpires != 0) {
                throw new RegisterParseException(400, "Contact: * needs Expires: 0 and no other Contact");
            }
            return new ParsedRegister(false, true, List.of());
        }
        List<Registrations.ContactAsk> asks = new ArrayList<>(contacts.size());
        for (Address contact : contacts) {
            String uri = contact.uri().raw();
            if (!contact.uri().isSip() || !(contact.uri().scheme().equalsIgnoreCase("sip") || contact.uri().scheme().equalsIgnoreCase("sips"))) {
                throw new RegisterParseException(400, "Contact is not a sip: URI");
            }
            if (uri.length() > RegistrarSettings.MAX_CONTACT) {
                throw new RegisterParseException(400, "Contact URI longer than " + RegistrarSettings.MAX_CONTACT);
            }
            Long asked = seconds(contact.params().get("expires"), "Contact expires");
            long expires = asked != null ? asked : headerExpires != null ? headerExpires : settings.defaultExpires().toSeconds();
            if (expires > 0 && expires < settings.minExpires().toSeconds()) {
                throw new RegisterParseException(423, "expires " + expires + " below Min-Expires");
            }
            // §10.3 step 7: the registrar may shorten a long interval; the 200 tells the UA what it got.
            expires = Math.min(expires, settings.maxExpires().toSeconds());
            int q = qOf(contact.params().get("q"));
            if (asks.stream().noneMatch(ask -> ask.contact().equals(uri))) {
                asks.add(new Registrations.ContactAsk(uri, expires, q));
            }
        }
        return new ParsedRegister(false, false, List.copyOf(asks));
    }

    /** A Contact's {@code q} (RFC 3261 §25.1 qvalue: 0 to 1, three decimals at most) in thousandths; 1000 when absent. */
    private static int qOf(String text) throws RegisterParseException {
        if (text == null) {
            return Binding.DEFAULT_Q;
        }
        String q = text.trim();
        if (!q.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
            throw new RegisterParseException(400, "Contact q is not a qvalue (0 to 1, three decimals at most)");
        }
        if (q.startsWith("1")) {
            return Binding.DEFAULT_Q;
        }
        String decimals = q.length() > 2 ? q.substring(2) : "";
        return decimals.isEmpty() ? 0 : Integer.parseInt((decimals + "00").substring(0, 3));
    }

    /** A delta-seconds value (RFC 3261 §25.1), or null when absent; huge values are capped, not refused (§20.19). */
    private static Long seconds(String text, String what) throws RegisterParseException {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.length() > 10 || !trimmed.chars().allMatch(Character::isDigit)) {
            throw new RegisterParseException(400, what + " is not a number of seconds");
        }
        return Long.parseLong(trimmed);
    }

    /** The transport the REGISTER came on: the Via names TLS or TCP, but only a stream is believed to be one. */
    private static String transportOf(SipRequest request, boolean reliable) {
        if (!reliable) {
            return "UDP";
        }
        return "TLS".equals(request.topVia().transport().toUpperCase(Locale.ROOT)) ? "TLS" : "TCP";
    }

    /**
     * Keeps the connection from {@code source} open until the last of this node's bindings on it expires, or
     * lets the idle timer close it when none is left (unregistered). One address registers for one trunk only,
     * so the trunk's bindings (at most {@code max-contacts-per-trunk}) are all that can live on it. On the
     * registrar's loop.
     */
    private void holdConnection(long trunkId, String transport, InetSocketAddress source, long now) {
        long until = 0;
        for (Binding binding : table.bindingsOf(trunkId)) {
            if (binding.node().equals(settings.nodeId()) && binding.source().equals(source) && transport.equals(binding.transport())
                    && binding.expiresAtMillis() > now) {
                until = Math.max(until, binding.expiresAtMillis());
            }
        }
        SipTransport t = "TLS".equals(transport) ? SipTransport.TLS : SipTransport.TCP;
        if (!sip.holdConnection(t, source, until) && until > 0) {
            log.debug("REGISTER from {} over {}: its connection is not in the pool", source, transport);
        }
    }

    private SipResponse.Builder warned(SipResponse.Builder answer, String why) {
        return warned(answer, settings.nodeId(), why);
    }

    /** RFC 3261 §20.43: code 399 is a miscellaneous warning; the text says what to fix. */
    static SipResponse.Builder warned(SipResponse.Builder answer, String agent, String why) {
        return answer.header(HeaderName.WARNING, "399 " + agent + " \"" + why.replace('"', '\'') + "\"");
    }

    // ------------------------------------------------------------------ expiry

    private void scheduleSweep() {
        loop.schedule(() -> {
            try {
                List<ClusterEvent> expired = table.sweep(wallMillis.getAsLong());
                if (sync != null && !expired.isEmpty()) {
                    sync.publish(expired);
                }
            } catch (RuntimeException e) {
                log.error("Registration expiry sweep failed; trying again in {} ms", SWEEP_EVERY_MILLIS, e);
            }
            scheduleSweep();
        }, SWEEP_EVERY_MILLIS);
    }

    private static String randomHex(int octets) {
        byte[] random = new byte[octets];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
