package io.tandem.softswitch.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites a body so that every RTP stream goes through the relay: one {@code c=} with the relay's
 * public address, each {@code m=} port replaced by the relay port facing that peer, our own
 * {@code o=} line, and nothing left that names the other side's addresses. What stays untouched:
 * codecs and {@code a=fmtp} (RFC 4733 telephone-events), {@code a=crypto} (SDES SRTP is end to end:
 * the relay never looks inside the payload), direction attributes.
 *
 * <p>Removed: media-level {@code c=} (the session one covers every section), {@code a=rtcp}
 * (RFC 3605; the relay's RTCP is on port + 1, the default of RFC 3550 §11), and ICE (RFC 8839
 * §5): candidates would name addresses the relay does not own and let the peers bypass it.
 */
public final class SdpAnchoring {

    private static final Set<String> REMOVED_ATTRIBUTES = Set.of("a=candidate", "a=ice-ufrag", "a=ice-pwd", "a=ice-options",
            "a=ice-lite", "a=ice-mismatch", "a=remote-candidates", "a=end-of-candidates", "a=ice-pacing", "a=rtcp");

    private SdpAnchoring() {
    }

    /**
     * Our {@code o=} line toward one peer. RFC 3264 §8: every new offer or answer in a session
     * carries the same session id and a version one higher when the description changed, the same
     * version when it did not (a peer may otherwise treat a repeat as a modification).
     */
    public static final class Origin {
        private final long sessionId;
        private long version;
        private String lastWithoutOrigin;

        public Origin(long sessionId) {
            this.sessionId = sessionId;
            this.version = sessionId;
        }
    }

    /**
     * @param address the relay's public address for this peer
     * @param ports   the relay's RTP port for each {@code m=} section, in order; 0 leaves the section's port
     *                (a rejected stream stays rejected, a non-RTP stream such as T.38 {@code udptl} keeps
     *                passing end to end)
     */
    public static SessionDescription anchor(SessionDescription in, String address, int[] ports, Origin origin) {
        if (ports.length != in.media().size()) {
            throw new IllegalArgumentException("one port per m= line: " + ports.length + " for " + in.media().size());
        }
        String connection = "c=IN " + (address.indexOf(':') >= 0 ? "IP6 " : "IP4 ") + address;
        List<MediaDescription> media = new ArrayList<>(in.media().size());
        for (int i = 0; i < in.media().size(); i++) {
            MediaDescription m = in.media().get(i);
            if (ports[i] == 0) {
                media.add(m);
                continue;
            }
            List<String> lines = new ArrayList<>(m.lines().size() + 1);
            for (String line : m.lines()) {
                if (!line.startsWith("c=") && !removed(line)) {
                    lines.add(line);
                }
            }
            // RFC 3264 §8.4: c=0.0.0.0 is the old way to say "do not send to me"; once the address is ours it
            // must be said with an attribute, or the far side would start sending into the relay.
            if ("0.0.0.0".equals(in.connectionAddressOf(i))) {
                MediaDirection was = in.directionOf(i);
                MediaDirection now = was.sends() ? MediaDirection.SENDONLY : MediaDirection.INACTIVE;
                if (now != was) {
                    lines.removeIf(line -> MediaDirection.ofLine(line) != null);
                    lines.add(now.attribute());
                }
            }
            media.add(new MediaDescription(m.media(), ports[i], m.proto(), m.formats(), lines));
        }
        List<String> session = new ArrayList<>(in.sessionLines().size() + 1);
        boolean connectionWritten = false;
        int originAt = -1;
        for (String line : in.sessionLines()) {
            if (line.startsWith("o=")) {
                originAt = session.size();
                session.add(line);
            } else if (line.startsWith("c=")) {
                if (!connectionWritten) {
                    session.add(connection);
                    connectionWritten = true;
                }
            } else if (!connectionWritten && (line.startsWith("b=") || line.startsWith("t="))) {
                session.add(connection); // RFC 4566 §5: c= comes before b= and t=
                session.add(line);
                connectionWritten = true;
            } else if (!removed(line)) {
                session.add(line);
            }
        }
        if (!connectionWritten) {
            session.add(connection);
        }
        String ipv = address.indexOf(':') >= 0 ? "IP6" : "IP4";
        if (originAt < 0) {
            originAt = 1;
            session.add(originAt, "o=");
        }
        session.set(originAt, "o=");
        String withoutOrigin = new SessionDescription(session, media).text();
        if (origin.lastWithoutOrigin != null && !origin.lastWithoutOrigin.equals(withoutOrigin)) {
            origin.version++;
        }
        origin.lastWithoutOrigin = withoutOrigin;
        session.set(originAt, "o=tandem " + origin.sessionId + " " + origin.version + " IN " + ipv + " " + address);
        return new SessionDescription(session, media);
    }

    private static boolean removed(String line) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon);
        return REMOVED_ATTRIBUTES.contains(name);
    }
}
