package io.tandem.softswitch.registrar;

/**
 * Why a REGISTER was refused, mapped in this one place to its SIP answer (docs/registrations.md lists
 * the table). Rejections found while parsing (400, 423) carry their own text; these are the table's.
 */
public enum RegisterRejection {
    /** RFC 3261 §10.3 step 7: same Call-ID, CSeq not above the binding's (an old or replayed request). */
    OUT_OF_ORDER(500, "CSeq not above the binding's for this Call-ID", 0),
    /** The trunk holds {@code tandem.registrar.max-contacts-per-trunk} bindings across the cluster. */
    TRUNK_FULL(403, "too many registered contacts for this trunk", 0),
    /** This node remembers {@code tandem.registrar.max-bindings} already. */
    TABLE_FULL(503, "registration table full", 60),
    /** The source address is registered by another trunk: one address identifies one trunk, as a CIDR does. */
    SOURCE_OF_ANOTHER_TRUNK(403, "this address is registered by another trunk", 0);

    private final int status;
    private final String text;
    private final int retryAfter;

    RegisterRejection(int status, String text, int retryAfter) {
        this.status = status;
        this.text = text;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** For the {@code Warning} header and the log. */
    public String text() {
        return text;
    }

    /** Seconds for {@code Retry-After}, 0 for none. */
    public int retryAfter() {
        return retryAfter;
    }
}
