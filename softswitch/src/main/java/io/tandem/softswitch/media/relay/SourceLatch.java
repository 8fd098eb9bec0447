package io.tandem.softswitch.media.relay;

import java.net.InetSocketAddress;

/**
 * Symmetric RTP latching with hijack protection: decides, packet by packet, whether a source is
 * the peer of this port, and so where the other direction's media is sent (a NAT'd phone sends
 * from its public mapping, not from the private address in its SDP).
 *
 * <table>
 *   <caption>rules</caption>
 *   <tr><th>state</th><th>packet</th><th>outcome</th></tr>
 *   <tr><td>any</td><td>from the address and port the peer's SDP names</td><td>accepted, latched there: the
 *       signalled address is authoritative (a stranger cannot send from a private address across the internet)</td></tr>
 *   <tr><td>not latched</td><td>from elsewhere</td><td>a candidate; latched after {@value #CONFIRMING_PACKETS}
 *       packets of one SSRC with consecutive sequence numbers (RFC 3550 §A.1 probation) from that same source;
 *       earlier ones are dropped. Sending first proves nothing, and up to {@value #CANDIDATES} sources are
 *       followed apart, so interleaving a stranger's packets does not stop the real peer from latching</td></tr>
 *   <tr><td>latched</td><td>from the latched source</td><td>accepted</td></tr>
 *   <tr><td>latched</td><td>from elsewhere, same SSRC, sequence within {@value #REBIND_WINDOW} after the last</td>
 *       <td>accepted, re-latched: the NAT moved the stream to a new port</td></tr>
 *   <tr><td>latched, source silent for the re-latch time</td><td>from elsewhere</td><td>candidate as above</td></tr>
 *   <tr><td>latched, source still talking</td><td>from elsewhere</td><td>dropped (counted as a hijack attempt)</td></tr>
 * </table>
 *
 * Pure: time comes in as monotonic nanos, so it is tested with a hand-moved clock. Confined to
 * the port's event loop.
 */
final class SourceLatch {

    static final int CONFIRMING_PACKETS = 3;
    static final int REBIND_WINDOW = 100;
    static final int CANDIDATES = 4;

    enum Verdict { ACCEPT, PROBATION, REJECT }

    private final long relatchAfterNanos;
    private InetSocketAddress signalled;
    private InetSocketAddress latched;
    private int ssrc;
    private int lastSequence;
    private long lastNanos;
    // Sources on probation, each followed on its own so that a stranger interleaving packets cannot keep the real
    // peer from latching; a fixed few slots, reused oldest first (no allocation per packet).
    private final InetSocketAddress[] candidate = new InetSocketAddress[CANDIDATES];
    private final int[] candidateSsrc = new int[CANDIDATES];
    private final int[] candidateSequence = new int[CANDIDATES];
    private final int[] candidateCount = new int[CANDIDATES];
    private int nextSlot;

    SourceLatch(long relatchAfterNanos) {
        this.relatchAfterNanos = relatchAfterNanos;
    }

    /**
     * The peer's SDP named a new address (a new vendor's answer, a re-INVITE): the latched source is forgotten. Sources
     * on probation keep their count: an SDP that reaches the media loop between two sources' packets (the relay's
     * port is bound and read before its first SDP is applied) must not hand the lead to whoever sent second.
     */
    void expect(InetSocketAddress fromSdp) {
        if (fromSdp.equals(signalled)) {
            return;
        }
        signalled = fromSdp;
        latched = null;
    }

    /** Where media for this peer goes: the latched source, else what its SDP said, else null. */
    InetSocketAddress target() {
        return latched != null ? latched : signalled;
    }

    boolean latched() {
        return latched != null;
    }

    Verdict offer(InetSocketAddress source, int packetSsrc, int sequence, long nowNanos) {
        if (source.equals(latched) || source.equals(signalled)) {
            latch(source, packetSsrc, sequence, nowNanos);
            return Verdict.ACCEPT;
        }
        if (latched != null) {
            boolean continues = packetSsrc == ssrc && ((sequence - lastSequence) & 0xFFFF) > 0
                    && ((sequence - lastSequence) & 0xFFFF) <= REBIND_WINDOW;
            if (continues) {
                latch(source, packetSsrc, sequence, nowNanos);
                return Verdict.ACCEPT;
            }
            if (nowNanos - lastNanos < relatchAfterNanos) {
                return Verdict.REJECT;
            }
        }
        int slot = slotOf(source);
        if (slot >= 0 && packetSsrc == candidateSsrc[slot] && sequence == ((candidateSequence[slot] + 1) & 0xFFFF)) {
            candidateCount[slot]++;
        } else {
            if (slot < 0) {
                slot = nextSlot;
                nextSlot = (nextSlot + 1) % CANDIDATES;
                candidate[slot] = source;
            }
            candidateSsrc[slot] = packetSsrc;
            candidateCount[slot] = 1;
        }
        candidateSequence[slot] = sequence;
        if (candidateCount[slot] >= CONFIRMING_PACKETS) {
            latch(source, packetSsrc, sequence, nowNanos);
            java.util.Arrays.fill(candidate, null);
            return Verdict.ACCEPT;
        }
        return Verdict.PROBATION;
    }

    private int slotOf(InetSocketAddress source) {
        for (int i = 0; i < CANDIDATES; i++) {
            if (source.equals(candidate[i])) {
                return i;
            }
        }
        return -1;
    }

    private void latch(InetSocketAddress source, int packetSsrc, int sequence, long nowNanos) {
        latched = source;
        ssrc = packetSsrc;
        lastSequence = sequence;
        lastNanos = nowNanos;
    }
}
