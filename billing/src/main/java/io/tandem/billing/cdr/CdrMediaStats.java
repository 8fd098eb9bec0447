package io.tandem.billing.cdr;

/**
 * What the media relay saw of an anchored call (docs/media.md), stored with the CDR of the attempt that
 * carried the media; absent (null on the CDR) when the call's media was not anchored.
 *
 * @param fromCustomer what the customer sent toward the vendor
 * @param fromVendor   what the vendor sent toward the customer
 */
public record CdrMediaStats(Direction fromCustomer, Direction fromVendor) {

    /**
     * One direction, summed over the call's RTP streams.
     *
     * @param packets  RTP packets received from that side
     * @param octets   their size (RTP header and payload)
     * @param lost     packets lost before reaching the relay, from the sequence numbers (RFC 3550 §A.3)
     * @param jitterMs the interarrival jitter estimate (RFC 3550 §6.4.1) at the end, in milliseconds (worst stream)
     */
    public record Direction(long packets, long octets, long lost, int jitterMs) {
        public static final Direction NONE = new Direction(0, 0, 0, 0);
    }
}
