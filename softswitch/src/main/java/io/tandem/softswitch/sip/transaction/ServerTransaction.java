package io.tandem.softswitch.sip.transaction;

import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SentMessage;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipOctets;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.Via;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server transaction (RFC 3261 §17.2): absorbs retransmitted requests and retransmits the
 * answer. Public methods may be called from any thread; the state is touched only on the
 * transaction's {@link TransactionExecutor}.
 */
public abstract sealed class ServerTransaction permits InviteServerTransaction, NonInviteServerTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTransaction.class);

    final TransactionLayer layer;
    final String key;
    /**
     * Keys the layer needs until the end, kept apart so that the request itself can go early.
     * {@code ackKey} (Call-ID and CSeq number, for the ACK of a 2xx) only on INVITE transactions.
     */
    final String ackKey;
    final String mergeKey;
    private SipRequest request;
    final SipSender sender;
    final TransactionExecutor executor;
    private final String toTag;
    private final InetSocketAddress source;
    private final List<TransactionExecutor.Cancellable> timers = new ArrayList<>(2);
    /** What {@link SipRequestHandler#firstLook} handed over with this request, null when nothing. */
    Object firstLook;
    /** The source this transaction is counted against in the per-source cap, null when it is not counted. */
    java.net.InetAddress countedSource;
    /** The last answer sent, as a message; only its octets once the transaction just absorbs retransmissions. */
    SipOctets lastResponse;

    ServerTransaction(TransactionLayer layer, String key, SipRequest request, SipSender sender,
                      TransactionExecutor executor, InetSocketAddress source) {
        this.layer = layer;
        this.source = source;
        this.key = key;
        this.request = request;
        this.ackKey = request.isInvite() ? TransactionLayer.ackKey(request) : null;
        this.mergeKey = TransactionLayer.mergeKey(request);
        this.sender = sender;
        this.executor = executor;
        String existing = request.to().tag();
        this.toTag = existing != null ? existing : layer.newTag();
    }

    /** The request; asking after {@link #releaseMessages()} is a programming error. */
    public SipRequest request() {
        if (request == null) {
            throw new IllegalStateException("transaction " + key + " is over; it only absorbs retransmissions");
        }
        return request;
    }

    /**
     * Lets go of the request (and with {@code alsoLastResponse} the last response) once all that is left
     * is absorbing retransmissions: a transaction waits up to 32 s (Timers J, L), and a node at
     * thousands of calls per second would otherwise keep every message of the last half minute alive.
     */
    void releaseMessages(boolean alsoLastResponse) {
        request = null;
        if (alsoLastResponse) {
            lastResponse = null;
        } else if (lastResponse instanceof SipMessage sent) {
            lastResponse = SentMessage.of(sent);
        }
    }

    /** What the transaction user's {@link SipRequestHandler#firstLook} handed over for this request, or null. */
    public Object firstLook() {
        return firstLook;
    }

    /** The To tag this transaction puts on its responses: the request's own, else a fresh one. */
    public String toTag() {
        return toTag;
    }

    /** The address the request came from (the transport's view, not the spoofable Via). */
    public java.net.InetSocketAddress source() {
        return sender.remoteAddress();
    }

    /** Whether the peer speaks over TCP/TLS (no retransmissions). */
    public boolean reliable() {
        return sender.reliable();
    }

    /** A response to the request with the transaction's To tag, to adjust and pass to {@link #respond(SipResponse)}. */
    public SipResponse.Builder responseBuilder(int status) {
        SipResponse.Builder b = withReceived(request().createResponse(status), request(), source);
        return status == 100 ? b : b.toTag(toTag);
    }

    /**
     * Adds {@code received} to the response's top Via when the request's sent-by is not the
     * address it came from (RFC 3261 §18.2.1), and fills an empty {@code rport} with the source
     * port (RFC 3581 §4). Unchanged when the source is unknown or nothing needs saying.
     */
    static SipResponse.Builder withReceived(SipResponse.Builder b, SipRequest request, InetSocketAddress source) {
        Via top = request.topVia();
        Via stamped = top.stampedWithSource(source);
        return stamped == top ? b : b.replaceFirstValue(HeaderName.VIA, stamped.toString());
    }

    public void respond(int status) {
        respond(responseBuilder(status).build());
    }

    /** Sends a response through the transaction; retransmissions are the transaction's job. */
    public void respond(SipResponse response) {
        executor.execute(() -> onTransactionUserResponse(response));
    }

    public abstract boolean isTerminated();

    abstract void start();

    abstract void onTransactionUserResponse(SipResponse response);

    /**
     * Hands the request to the handler. A handler that throws would leave the transaction
     * without an answer forever, so the failure is logged here and answered {@code 500}.
     */
    void passToUser() {
        try {
            layer.handler().onRequest(this);
        } catch (RuntimeException e) {
            LOG.error("SIP handler failed on {} {}; answering 500", request().method(), request().callId(), e);
            if (!isTerminated()) {
                onTransactionUserResponse(responseBuilder(500).build());
            }
        }
    }

    /** The same request again (or, for INVITE, the ACK of a non-2xx). */
    abstract void onRequestAgain(SipRequest again);

    void transmit(SipResponse response) {
        lastResponse = response;
        sender.send(response, layer::onTransportError);
    }

    void retransmitLast() {
        if (lastResponse != null) {
            sender.send(lastResponse, layer::onTransportError);
        }
    }

    void timer(long delayMillis, Runnable task) {
        timers.add(executor.scheduleCoarse(task, delayMillis));
    }

    void cancelTimers() {
        for (TransactionExecutor.Cancellable c : timers) {
            c.cancel();
        }
        timers.clear();
    }

    void terminated() {
        cancelTimers();
        layer.removeServer(this);
    }

    SipTimers timers() {
        return layer.config().timers();
    }
}
