package io.tandem.softswitch.registrar;

import java.net.InetSocketAddress;

/**
 * One contact bound to an address-of-record (RFC 3261 §10.3), as every node of the cluster knows it.
 *
 * @param aor             the address-of-record's user part (the trunk's digest user that registered it)
 * @param trunkId         the ingress trunk whose digest user registered it
 * @param contact         the Contact URI as the customer wrote it (the binding's key within the AOR)
 * @param source          where the REGISTER came from: the address that identifies the trunk while bound,
 *                        and where calls to the contact would be sent (NAT: the flow it registered on)
 * @param transport       UDP, TCP or TLS: the flow it registered on
 * @param expiresAtMillis wall-clock expiry, UTC epoch millis (absolute, so every node expires it on its own)
 * @param callId          the REGISTER's Call-ID, for RFC 3261 §10.3 step 7 ordering
 * @param cseq            the REGISTER's CSeq number
 * @param version         orders changes of one binding across the cluster (higher wins; see {@link Registrations})
 * @param node            the node that holds the flow (received the REGISTER)
 * @param q               the contact's {@code q} (RFC 3261 §20.10) in thousandths, 0 to 1000; 1000 when it named none.
 *                        Calls try a trunk's contacts highest q first, then the most recent
 */
public record Binding(String aor, long trunkId, String contact, InetSocketAddress source, String transport, long expiresAtMillis,
                      String callId, long cseq, long version, String node, int q) {

    /** The {@code q} of a contact that names none: tried as if it said 1.0. */
    public static final int DEFAULT_Q = 1000;

    public Binding {
        if (q < 0 || q > DEFAULT_Q) {
            throw new IllegalArgumentException("q out of 0..1000: " + q);
        }
    }

    /** A contact without a {@code q}. */
    public Binding(String aor, long trunkId, String contact, InetSocketAddress source, String transport, long expiresAtMillis,
                   String callId, long cseq, long version, String node) {
        this(aor, trunkId, contact, source, transport, expiresAtMillis, callId, cseq, version, node, DEFAULT_Q);
    }

    /** {@code q} as a Contact parameter writes it ({@code 0.5}, {@code 1}). */
    public String qValue() {
        if (q == DEFAULT_Q) {
            return "1";
        }
        String thousandths = String.format(java.util.Locale.ROOT, "%03d", q).replaceAll("0+$", "");
        return thousandths.isEmpty() ? "0" : "0." + thousandths;
    }

    /** Seconds left before it expires (never negative), for the Contact {@code expires} of a 200 (§10.3 step 8). */
    public long secondsLeft(long nowMillis) {
        return Math.max(0, (expiresAtMillis - nowMillis + 999) / 1000);
    }

    public Key key() {
        return new Key(aor, contact);
    }

    /** A binding is one contact of one address-of-record. */
    public record Key(String aor, String contact) {
    }
}
