package io.tandem.softswitch.sip.transaction;

import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.Via;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches messages to transactions and answers what needs no transaction user.
 *
 * <p>Before a request reaches the {@link SipRequestHandler} the layer applies the UAS checks
 * that do not depend on the call: {@code 483} for Max-Forwards 0 (OPTIONS excepted, RFC 3261 §16.3),
 * {@code 482} for a loop (one of our own branches further down the Via list) and for a merged request
 * (§8.2.2.2), {@code 416} for a Request-URI scheme other than sip, sips or tel (§8.2.2.1),
 * {@code 420} for a Require the switch does not support (§8.2.2.3), {@code 481} for a CANCEL
 * that matches nothing (§9.2). Out-of-dialog OPTIONS get a stateless {@code 200} with Allow
 * and Accept when configured (load-balancer keep-alives).
 *
 * <p>Refusals cost no state: those checks, and whatever the handler's
 * {@link SipRequestHandler#firstLook} answers (challenges and refusals to strangers), are sent once
 * without a transaction and never retransmitted, so a spoofed source gets one answer per packet
 * and no memory is held for it. Server transactions are capped globally and per source address
 * ({@link TransactionConfig}); past a cap a new request gets a stateless {@code 503} with
 * {@code Retry-After}. Requests that match a live transaction are absorbed as before.
 *
 * <p>Tables are concurrent maps because a message may arrive on any socket's event loop; each
 * transaction's state is only touched on its own executor, chosen from the Call-ID.
 */
public final class TransactionLayer {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionLayer.class);

    private final TransactionConfig config;
    private volatile boolean refusingCalls;
    private volatile java.util.function.BooleanSupplier admitNewInvite = () -> true;
    private volatile java.util.function.BooleanSupplier sheddingNewInvites = () -> false;
    private volatile String shedRetryAfter = "2";
    private final ShedInvites shedInvites = new ShedInvites();
    private final SipRequestHandler handler;
    private final Function<String, TransactionExecutor> executorForCallId;
    private final TransactionCounters counters = new TransactionCounters();
    /**
     * Tables start large: a transaction outlives its call by up to 32 s, so at 4,000 calls a
     * second each table holds about 130,000 entries, and growing a table copies all of it on the
     * event loop that happens to add the entry that crosses the threshold (seen as a several-ms
     * stall when traffic rises). 4 tables of 256 Ki slots cost 4 MB.
     */
    private static final int INITIAL_CAPACITY = 1 << 17;

    private final ConcurrentHashMap<String, ServerTransaction> servers = new ConcurrentHashMap<>(INITIAL_CAPACITY);
    private final ConcurrentHashMap<String, ClientTransaction> clients = new ConcurrentHashMap<>(INITIAL_CAPACITY);
    private final ConcurrentHashMap<String, String> merged = new ConcurrentHashMap<>(INITIAL_CAPACITY);
    private final ConcurrentHashMap<String, InviteServerTransaction> awaitingAck = new ConcurrentHashMap<>(INITIAL_CAPACITY);
    /** Live server transactions per source address (provisioned peers not counted); bounded by the global cap. */
    private final ConcurrentHashMap<InetAddress, Integer> perSource = new ConcurrentHashMap<>();
    private volatile Predicate<InetAddress> exemptFromSourceLimit = address -> false;
    private static final String FULL_RETRY_AFTER_SECONDS = "2";
    /** Every branch we create starts with this, so a request carrying one below the top Via looped back. */
    private final String branchPrefix;

    public TransactionLayer(TransactionConfig config, SipRequestHandler handler,
                            Function<String, TransactionExecutor> executorForCallId) {
        this.config = config;
        this.handler = handler;
        this.executorForCallId = executorForCallId;
        this.branchPrefix = Via.MAGIC_COOKIE + "-td" + HexFormat.of().toHexDigits((int) ThreadLocalRandom.current().nextLong()) + "-";
    }

    /**
     * While the node takes no calls (warming up after a start, draining before a stop), out-of-dialog
     * OPTIONS are answered {@code 503} with {@code Retry-After}: a load balancer that probes with
     * OPTIONS (Kamailio's dispatcher) then sends its calls elsewhere.
     */
    public void setRefusingCalls(boolean refusing) {
        refusingCalls = refusing;
    }

    public TransactionConfig config() {
        return config;
    }

    public TransactionCounters counters() {
        return counters;
    }

    SipRequestHandler handler() {
        return handler;
    }

    /** The executor for everything belonging to this Call-ID. */
    public TransactionExecutor executorFor(String callId) {
        return executorForCallId.apply(callId);
    }

    /** A branch that is unique and recognisably ours (RFC 3261 §8.1.1.7). */
    public String newBranch() {
        return branchPrefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** A fresh From/To tag (RFC 3261 §19.3: at least 32 bits of randomness). */
    public String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /**
     * Sources whose server transactions are not counted against {@link TransactionConfig#maxServerTransactionsPerSource()}:
     * provisioned trunks, vendor gateways, trusted proxies. Must answer from memory; it runs per new request.
     */
    public void exemptFromSourceLimit(Predicate<InetAddress> sources) {
        this.exemptFromSourceLimit = sources;
    }

    /** Live server transactions held by one source address (0 for exempt sources). */
    public int serverTransactionsOf(InetAddress source) {
        return perSource.getOrDefault(source, 0);
    }

    /**
     * New INVITEs (no To tag, matching no transaction) are taken only when {@code admit} says so;
     * the others get a stateless {@code 503} with {@code Retry-After: retryAfterSeconds}. Called on
     * the receiving thread for each such INVITE: it must answer from memory.
     */
    public void shedNewInvitesUnless(java.util.function.BooleanSupplier admit, long retryAfterSeconds) {
        shedNewInvitesUnless(admit, () -> true, retryAfterSeconds);
    }

    /**
     * As {@link #shedNewInvitesUnless(java.util.function.BooleanSupplier, long)}, with {@code shedding} telling
     * (cheaply, any thread) whether {@code admit} may refuse at all right now: while it says no, readers pass every
     * datagram to the full parse without a glance ({@link #decideNewInvite(String)}).
     */
    public void shedNewInvitesUnless(java.util.function.BooleanSupplier admit, java.util.function.BooleanSupplier shedding,
                                     long retryAfterSeconds) {
        this.admitNewInvite = admit;
        this.sheddingNewInvites = shedding;
        this.shedRetryAfter = Long.toString(retryAfterSeconds);
    }

    /** Whether new INVITEs may be shed right now (the overload budget is limiting). Cheap, any thread. */
    public boolean sheddingNewInvites() {
        return sheddingNewInvites.getAsBoolean();
    }

    /** What {@link #decideNewInvite(String)} says about an INVITE read but not yet parsed. */
    public enum NewInviteDecision {
        /** It belongs to a live server transaction (a retransmission): parse it and let the transaction absorb it. */
        PASS,
        /** The overload budget admitted it: parse it and take it as a new call without asking the budget again. */
        ADMITTED,
        /** Refuse it statelessly with {@code 503} and {@link #shedRetryAfter()}, To tagged with {@link #newShedTag()}; counted. */
        SHED
    }

    /**
     * The overload decision for an INVITE outside a dialog, made from a glance at its datagram before it is parsed
     * (its RFC 3261 server transaction key): the same decision, in the same order, that {@link #onRequest} makes
     * for a parsed one, so a reader can refuse the excess of an overload without parsing it. Call it only on the
     * event loop that owns the INVITE's Call-ID, so that an earlier copy of it has made its transaction. Any thread.
     */
    public NewInviteDecision decideNewInvite(String serverKey) {
        if (servers.containsKey(serverKey)) {
            return NewInviteDecision.PASS;
        }
        if (!shedsNewInvite(serverKey, false)) {
            return NewInviteDecision.ADMITTED;
        }
        counters.shedUnparsed.increment();
        counters.statelessAnswers.increment();
        return NewInviteDecision.SHED;
    }

    /**
     * Whether a new INVITE of this transaction key is refused for the overload: a retransmission of a shed one is
     * refused again whatever the budget says by then; any other is asked of the budget unless {@code admitted}
     * already. A refusal is remembered and counted here; answering it is the caller's.
     */
    private boolean shedsNewInvite(String key, boolean admitted) {
        if (!shedInvites.wasShed(key) && (admitted || admitNewInvite.getAsBoolean())) {
            return false;
        }
        shedInvites.remember(key);
        counters.shed.increment();
        return true;
    }

    /** An ACK of an overload 503 ({@link #isShedTag(String)}) dropped before it was parsed. */
    public void countShedAckDropped() {
        counters.shedAcksDropped.increment();
    }

    /** The Retry-After seconds of an overload 503. */
    public String shedRetryAfter() {
        return shedRetryAfter;
    }

    /**
     * A To tag for an overload 503: a fresh tag with a prefix {@link #newTag()} never makes (it makes hex digits), so
     * the ACK that every 503 brings back can be told from any other ACK at a glance and dropped unparsed.
     */
    public String newShedTag() {
        return SHED_TAG_PREFIX + newTag();
    }

    /** Whether a To tag is one of {@link #newShedTag()}'s. */
    public static boolean isShedTag(String tag) {
        return tag.startsWith(SHED_TAG_PREFIX);
    }

    private static final String SHED_TAG_PREFIX = "ovl";

    /** Number of live server and client transactions. */
    public int size() {
        return servers.size() + clients.size();
    }

    /** A request from the network; {@code sender} answers towards its source. Any thread. */
    public void onRequest(SipRequest request, SipSender sender) {
        onRequest(request, sender, null);
    }

    /**
     * A request from the network that arrived from {@code source}; responses then carry
     * {@code received} and {@code rport} in their top Via as RFC 3261 §18.2.1 and RFC 3581 ask.
     */
    public void onRequest(SipRequest request, SipSender sender, InetSocketAddress source) {
        onRequest(request, sender, source, false);
    }

    /**
     * As {@link #onRequest(SipRequest, SipSender, InetSocketAddress)}; {@code admitted}: a new INVITE for which
     * {@link #decideNewInvite(String)} already said {@link NewInviteDecision#ADMITTED}, so the budget is not asked twice.
     */
    public void onRequest(SipRequest request, SipSender sender, InetSocketAddress source, boolean admitted) {
        if (request.headers().contains(HeaderName.ROUTE) && handler.relays(request, source != null ? source : sender.remoteAddress())) {
            return;
        }
        String key = serverKey(request, request.isAck() ? SipRequest.INVITE : request.method());
        ServerTransaction tx = servers.get(key);
        if (tx != null) {
            tx.executor.execute(() -> tx.onRequestAgain(request));
            return;
        }
        if (request.isAck()) {
            InviteServerTransaction accepted = awaitingAck.remove(ackKey(request));
            if (accepted == null) {
                // An ACK nobody waits for (a retransmitted one, or the ACK of a stateless refusal such as an overload
                // 503, one per shed INVITE): shown to the handler where it was read, without a hop to another loop.
                handler.onAck(request);
                return;
            }
            accepted.executor.execute(() -> {
                accepted.onDialogAck();
                handler.onAck(request);
            });
            return;
        }
        if (request.method().equals(SipRequest.CANCEL)) {
            onCancel(request, sender, key, source);
            return;
        }
        if (request.isInvite() && request.to().tag() == null && shedsNewInvite(key, admitted)) {
            // The node is overloaded: the excess is refused here, before any transaction, screening, routing or
            // database work, once and statelessly (RFC 3261 §21.5.4), so the calls it does take can complete.
            answerStatelessly(request, request.createResponse(503).header(HeaderName.RETRY_AFTER, shedRetryAfter),
                sender, source, newShedTag());
            return;
        }
        int reject = precheck(request);
        if (reject != 0) {
            // Refusals cost no state and are never retransmitted, whoever the (possibly spoofed) source is.
            counters.rejected.increment();
            SipResponse.Builder r = request.createResponse(reject);
            if (reject == 420) {
                r.header(HeaderName.UNSUPPORTED, String.join(", ", unsupported(request)));
            }
            answerStatelessly(request, r, sender, source);
            return;
        }
        if (request.method().equals(SipRequest.OPTIONS) && request.to().tag() == null
            && config.answerOptionsStatelessly()) {
            counters.statelessOptions.increment();
            SipResponse.Builder answer = refusingCalls
                ? ServerTransaction.withReceived(request.createResponse(503), request, source).header(HeaderName.RETRY_AFTER, "5")
                : ServerTransaction.withReceived(request.createResponse(200), request, source);
            SipResponse keepAlive = answer.toTag(newTag())
                .header(HeaderName.ALLOW, config.allow())
                .header(HeaderName.ACCEPT, config.accept())
                .build();
            sender.send(keepAlive, this::onTransportError);
            return;
        }
        Object context;
        switch (handler.firstLook(request, source != null ? source : sender.remoteAddress())) {
            case FirstLook.StatelessAnswer answer -> {
                answerStatelessly(request, answer.response(), sender, source);
                return;
            }
            case FirstLook.Silence silence -> {
                counters.silenced.increment();
                return;
            }
            case FirstLook.Transaction transaction -> context = transaction.context();
        }
        InetAddress counted = countedSource(source != null ? source : sender.remoteAddress());
        if (full(counted)) {
            counters.refusedFull.increment();
            answerStatelessly(request, request.createResponse(503).header(HeaderName.RETRY_AFTER, FULL_RETRY_AFTER_SECONDS),
                sender, source);
            return;
        }
        ServerTransaction created = request.isInvite()
            ? new InviteServerTransaction(this, key, request, sender, executorFor(request.callId()), source)
            : new NonInviteServerTransaction(this, key, request, sender, executorFor(request.callId()), source, true);
        created.firstLook = context;
        ServerTransaction raced = servers.putIfAbsent(key, created);
        if (raced != null) {
            raced.executor.execute(() -> raced.onRequestAgain(request));
            return;
        }
        countIn(created, counted);
        counters.serverTransactions.increment();
        String mergeKey = mergeKey(request);
        if (mergeKey != null) {
            merged.putIfAbsent(mergeKey, key);
        }
        created.executor.execute(created::start);
    }

    /** A response from the network. Any thread. */
    public void onResponse(SipResponse response) {
        String branch = response.topVia().branch();
        ClientTransaction tx = branch == null ? null : clients.get(clientKey(branch, response.cseq().method()));
        if (tx == null) {
            counters.strayResponses.increment();
            executorFor(response.callId()).execute(() -> handler.onStrayResponse(response));
            return;
        }
        tx.executor.execute(() -> tx.onResponse(response));
    }

    /**
     * Starts a client transaction for a request whose top Via already carries a branch from
     * {@link #newBranch()}; events go to the listener on {@code executor}.
     */
    public ClientTransaction startClient(SipRequest request, SipSender sender, TransactionExecutor executor,
                                         ClientTransactionListener listener) {
        String branch = request.topVia().branch();
        if (branch == null || request.isAck()) {
            throw new IllegalArgumentException("client transactions need a branch and are not for ACK");
        }
        String key = clientKey(branch, request.method());
        ClientTransaction tx = request.isInvite()
            ? new InviteClientTransaction(this, key, request, sender, executor, listener)
            : new NonInviteClientTransaction(this, key, request, sender, executor, listener);
        if (clients.putIfAbsent(key, tx) != null) {
            throw new IllegalStateException("branch already in use: " + branch);
        }
        counters.clientTransactions.increment();
        executor.execute(tx::start);
        return tx;
    }

    private void onCancel(SipRequest cancel, SipSender sender, String key, InetSocketAddress source) {
        ServerTransaction target = servers.get(serverKey(cancel, SipRequest.INVITE));
        if (!(target instanceof InviteServerTransaction)) {
            counters.rejected.increment();
            answerStatelessly(cancel, cancel.createResponse(481), sender, source);
            return;
        }
        NonInviteServerTransaction tx = new NonInviteServerTransaction(this, key, cancel, sender,
            executorFor(cancel.callId()), source, false);
        if (servers.putIfAbsent(key, tx) != null) {
            return;
        }
        counters.serverTransactions.increment();
        InviteServerTransaction invite = (InviteServerTransaction) target;
        tx.executor.execute(() -> {
            tx.onTransactionUserResponse(tx.responseBuilder(200).build());
            invite.executor.execute(() -> {
                if (invite.isPending()) {
                    handler.onCancel(invite, cancel);
                }
            });
        });
    }

    private int precheck(SipRequest r) {
        if (r.maxForwards() == 0 && !r.method().equals(SipRequest.OPTIONS)) {
            return 483;
        }
        List<Via> vias = r.vias();
        for (int i = 1; i < vias.size(); i++) {
            String b = vias.get(i).branch();
            if (b != null && b.startsWith(branchPrefix)) {
                return 482;
            }
        }
        String mergeKey = mergeKey(r);
        if (mergeKey != null) {
            String other = merged.get(mergeKey);
            if (other != null && servers.containsKey(other)) {
                return 482;
            }
        }
        String scheme = r.requestUri().scheme();
        if (!scheme.equals("sip") && !scheme.equals("sips") && !scheme.equals("tel")) {
            return 416;
        }
        if (!unsupported(r).isEmpty()) {
            return 420;
        }
        return 0;
    }

    private List<String> unsupported(SipRequest r) {
        List<String> out = new ArrayList<>(0);
        for (String line : r.headers().all(HeaderName.REQUIRE)) {
            for (String tag : line.split(",")) {
                String t = tag.strip();
                if (!t.isEmpty() && !config.supportedExtensions().contains(t.toLowerCase(Locale.ROOT))) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private void answerStatelessly(SipRequest request, SipResponse.Builder response, SipSender sender,
                                   InetSocketAddress source) {
        answerStatelessly(request, response, sender, source, newTag());
    }

    private void answerStatelessly(SipRequest request, SipResponse.Builder response, SipSender sender,
                                   InetSocketAddress source, String toTag) {
        counters.statelessAnswers.increment();
        SipResponse.Builder b = ServerTransaction.withReceived(response, request, source);
        if (request.to().tag() == null && !request.method().equals(SipRequest.CANCEL)) {
            b.toTag(toTag);
        }
        sender.send(b.build(), this::onTransportError);
    }

    /** The source to count the new transaction against, or null when it is exempt or unknown. */
    private InetAddress countedSource(InetSocketAddress source) {
        if (source == null || source.getAddress() == null || exemptFromSourceLimit.test(source.getAddress())) {
            return null;
        }
        return source.getAddress();
    }

    /** Whether a new server transaction would pass the global cap or the source's share (checked, not reserved). */
    private boolean full(InetAddress counted) {
        if (servers.size() >= config.maxServerTransactions()) {
            return true;
        }
        return counted != null && perSource.getOrDefault(counted, 0) >= config.maxServerTransactionsPerSource();
    }

    private void countIn(ServerTransaction tx, InetAddress counted) {
        if (counted != null) {
            tx.countedSource = counted;
            perSource.merge(counted, 1, Integer::sum);
        }
    }

    void awaitAck(InviteServerTransaction tx) {
        awaitingAck.put(tx.ackKey, tx);
    }

    void ackMatched(InviteServerTransaction tx) {
        awaitingAck.remove(tx.ackKey, tx);
    }

    void removeServer(ServerTransaction tx) {
        if (servers.remove(tx.key, tx) && tx.countedSource != null) {
            perSource.computeIfPresent(tx.countedSource, (a, n) -> n <= 1 ? null : n - 1);
        }
        if (tx.mergeKey != null) {
            merged.remove(tx.mergeKey, tx.key);
        }
        if (tx instanceof InviteServerTransaction) {
            awaitingAck.remove(tx.ackKey, tx);
        }
    }

    void removeClient(ClientTransaction tx) {
        clients.remove(tx.key, tx);
    }

    void onTransportError(Throwable cause) {
        counters.transportErrors.increment();
        LOG.debug("SIP send failed: {}", cause.toString());
    }

    /** RFC 3261 §17.2.3 with the RFC 2543 fallback of §17.2.3 for branches without the cookie. */
    static String serverKey(SipRequest r, String method) {
        Via top = r.topVia();
        if (top.hasRfc3261Branch()) {
            return top.branch() + '|' + top.sentBy() + '|' + method;
        }
        return "2543|" + r.callId() + '|' + r.cseq().sequence() + '|' + r.from().tag() + '|' + top + '|' + method;
    }

    static String clientKey(String branch, String method) {
        return branch + '|' + (method.equals(SipRequest.ACK) ? SipRequest.INVITE : method);
    }

    static String ackKey(SipMessage m) {
        return m.callId() + ' ' + m.cseq().sequence();
    }

    /** RFC 3261 §8.2.2.2: only requests outside a dialog can be merged. */
    static String mergeKey(SipRequest r) {
        if (r.to().tag() != null || !r.topVia().hasRfc3261Branch()) {
            return null;
        }
        return r.from().tag() + '|' + r.callId() + '|' + r.cseq().sequence() + ' ' + r.method();
    }
}
