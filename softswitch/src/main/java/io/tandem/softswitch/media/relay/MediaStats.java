package io.tandem.softswitch.media.relay;

import io.tandem.billing.cdr.CdrMediaStats;

/**
 * A call's media as the relay saw it, summed over its streams.
 *
 * @param fromCustomer what the customer sent (toward the vendor)
 * @param fromVendor   what the vendor sent (toward the customer)
 */
public record MediaStats(Direction fromCustomer, Direction fromVendor) {

    public static final MediaStats NONE = new MediaStats(Direction.NONE, Direction.NONE);

    /**
     * @param jitterMillis the last RFC 3550 interarrival jitter estimate, in milliseconds (highest over the streams)
     */
    public record Direction(long packets, long octets, long lost, long jitterMillis) {
        public static final Direction NONE = new Direction(0, 0, 0, 0);

        CdrMediaStats.Direction forCdr() {
            return new CdrMediaStats.Direction(packets, octets, lost, (int) Math.min(Integer.MAX_VALUE, jitterMillis));
        }

        Direction plus(Direction o) {
            return new Direction(packets + o.packets, octets + o.octets, lost + o.lost, Math.max(jitterMillis, o.jitterMillis));
        }
    }

    /** The CDR's form of these figures. */
    public CdrMediaStats forCdr() {
        return new CdrMediaStats(fromCustomer.forCdr(), fromVendor.forCdr());
    }

    MediaStats plus(MediaStats o) {
        return new MediaStats(fromCustomer.plus(o.fromCustomer), fromVendor.plus(o.fromVendor));
    }
}
