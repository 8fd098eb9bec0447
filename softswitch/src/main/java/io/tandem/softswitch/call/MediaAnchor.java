package io.tandem.softswitch.call;

import io.tandem.billing.cdr.CdrMediaStats;
import io.tandem.routing.Gateway;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The media side of one call (the media relay plugs in here): every body that crosses from one
 * leg to the other passes through it, so a relay can rewrite SDP to its own addresses. Confined
 * to the call's event loop; {@link #close()} is called once when the call ends.
 */
public interface MediaAnchor {

    /** An offer or in-dialog body from the customer, as the vendor should see it. */
    MessageBody towardVendor(MessageBody fromCustomer);

    /** An answer (18x/2xx) or in-dialog body from the vendor, as the customer should see it. */
    MessageBody towardCustomer(MessageBody fromVendor);

    /**
     * A vendor attempt is about to start: its INVITE's offer is the next {@link #towardVendor} body. The
     * gateway's own media mode counts for this attempt (a call is anchored when its trunk or its gateway asks).
     *
     * @param target the address the gateway resolved to for this attempt
     */
    default void vendorChosen(Gateway gateway, InetSocketAddress target) {
    }

    /**
     * Why the offer just passed to {@link #towardVendor} or {@link #towardCustomer} could not be anchored although
     * the call must be (its SDP does not parse or is over the limits: 488; no free port pair: 503), or null when it
     * crossed. Asked right after the crossing, on the call's loop; the offer must then not be sent on.
     */
    default CallRejection refusal() {
        return null;
    }

    /**
     * What the media did, for the call's CDR: completes once {@link #close()} has run (at once, with null, when
     * the media was never anchored). May complete on another thread.
     */
    default CompletionStage<CdrMediaStats> closed() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Completes when the media side can carry media to what the SDP that last crossed named: at once for the local
     * relay; for a remote media node once the node acknowledged the update carrying it, or that control call failed
     * (bounded by its timeout). The vendor's INVITE (its offer) and the customer's 200 wait for it, so early media and the
     * first words after answer do not reach a node that does not know the call yet. Asked on the call's loop; may complete on another thread; never fails.
     */
    default CompletionStage<Void> ready() {
        return CompletableFuture.completedFuture(null);
    }

    /** The call was answered: from now on silence on the media counts (media timeout). */
    default void answered() {
    }

    /**
     * Asked once the call is answered and the vendor ACKed: a new offer the answering vendor must get in a re-INVITE,
     * because the call's media moved since that vendor's last offer named it (a media node lost before answer), or
     * null. The vendor's answer to it comes back through {@link #towardCustomer} (and is not relayed).
     */
    default MessageBody reofferTowardVendor() {
        return null;
    }

    void close();

    /** Media flows end to end; bodies are relayed unchanged. */
    MediaAnchor PASS_THROUGH = new PassThrough();

    /** Relays bodies unchanged and holds nothing; a base for media sides that only change some of that. */
    class PassThrough implements MediaAnchor {
        @Override
        public MessageBody towardVendor(MessageBody fromCustomer) {
            return fromCustomer;
        }

        @Override
        public MessageBody towardCustomer(MessageBody fromVendor) {
            return fromVendor;
        }

        @Override
        public void close() {
        }
    }

    /** Opens the media side of a call that was just admitted. */
    @FunctionalInterface
    interface Factory {
        MediaAnchor open(CallFacts call, TransactionExecutor loop);

        Factory PASS_THROUGH = (call, loop) -> MediaAnchor.PASS_THROUGH;
    }
}
