package io.tandem.softswitch.sip.transport;

/**
 * Sees every SIP message this node reads or writes, as it crosses the socket (capture, HEP
 * export). Called on the channel's event loop: an implementation must only hand the message on
 * (a bounded queue) and never block or throw.
 */
public interface WireTap {

    /** Checked before a message is copied, so a tap switched off at run time costs one read. */
    boolean enabled();

    void accept(WireMessage message);

    WireTap NONE = new WireTap() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void accept(WireMessage message) {
        }
    };
}
