package io.tandem.softswitch.sip.transaction;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The transactions of INVITEs the node shed while overloaded, so that a retransmission of one is
 * shed again instead of being taken as a new call once the budget has room. Under overload the
 * node's queues run late, so a client's retransmission can be read after the 503 went out: taking
 * it would set up (and have a vendor answer) a call whose caller already gave up.
 *
 * <p>A fixed table of {@value #SLOTS} 64-bit fingerprints of transaction keys (256 KiB), one per
 * slot, each overwritten by a later shed INVITE that falls in its slot: at 5,000 sheds a second a
 * fingerprint lives for seconds, the time a retransmission can trail its original in the node's
 * queues. Forgetting only brings back the behaviour without this table; two keys sharing a fingerprint
 * would take 2<sup>64</sup> tries. Lock-free, any thread.
 */
final class ShedInvites {
    static final int SLOTS = 1 << 15;
    private static final long EMPTY = 0;

    private final AtomicLongArray fingerprints = new AtomicLongArray(SLOTS);

    /** Remembers that the INVITE of this transaction key was shed. */
    void remember(String transactionKey) {
        long f = fingerprint(transactionKey);
        fingerprints.lazySet(slot(f), f);
    }

    /** Whether the INVITE of this transaction key was shed (and not yet forgotten). */
    boolean wasShed(String transactionKey) {
        long f = fingerprint(transactionKey);
        return fingerprints.get(slot(f)) == f;
    }

    private static int slot(long fingerprint) {
        return (int) (fingerprint ^ (fingerprint >>> 32)) & (SLOTS - 1);
    }

    /** 64-bit FNV-1a over the key's characters; never {@link #EMPTY}. */
    static long fingerprint(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        return h == EMPTY ? 1 : h;
    }
}
