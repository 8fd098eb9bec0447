package io.tandem.softswitch.call;

import io.tandem.softswitch.sip.transaction.TransactionExecutor;

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

    /** The call was answered: from now on silence on the media counts (media timeout). */
    default void answered() {
    }

    void close();

    /** Media flows end to end; bodies are relayed unchanged. */
    MediaAnchor PASS_THROUGH = new MediaAnchor() {
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
    };

    /** Opens the media side of a call that was just admitted. */
    @FunctionalInterface
    interface Factory {
        MediaAnchor open(CallFacts call, TransactionExecutor loop);

        Factory PASS_THROUGH = (call, loop) -> MediaAnchor.PASS_THROUGH;
    }
}
