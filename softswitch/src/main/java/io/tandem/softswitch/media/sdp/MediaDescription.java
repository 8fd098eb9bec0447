package io.tandem.softswitch.media.sdp;

import java.util.List;

/**
 * One {@code m=} section (RFC 4566 §5.14) and the lines after it up to the next one.
 *
 * @param media   {@code audio}, {@code video}, {@code image} …
 * @param port    the transport port; 0 means the stream is rejected or disabled (RFC 3264 §6, §8.2)
 * @param proto   {@code RTP/AVP}, {@code RTP/SAVP}, {@code udptl} …
 * @param formats the format list as written (payload types for RTP)
 * @param lines   every line of the section after {@code m=}, in order, unchanged
 */
public record MediaDescription(String media, int port, String proto, String formats, List<String> lines) {

    public MediaDescription {
        lines = List.copyOf(lines);
    }

    /** The section's own {@code c=} address, or null when it inherits the session's. */
    public String connectionAddress() {
        for (String line : lines) {
            if (line.startsWith("c=")) {
                return SessionDescription.addressOf(line);
            }
        }
        return null;
    }

    /** The section's own direction attribute, or null when it inherits the session's. */
    public MediaDirection ownDirection() {
        for (String line : lines) {
            MediaDirection d = MediaDirection.ofLine(line);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /** The RTP clock rate of the first format, from its {@code a=rtpmap} or the static table (RFC 3551 §6). */
    public int firstClockRate() {
        String first = formats.isBlank() ? "" : formats.strip().split(" ", 2)[0];
        String prefix = "a=rtpmap:" + first + " ";
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                String[] encoding = line.substring(prefix.length()).split("/");
                if (encoding.length >= 2) {
                    try {
                        return Integer.parseInt(encoding[1].strip());
                    } catch (NumberFormatException e) {
                        return 8000; // a malformed rtpmap only skews the jitter estimate; fall back to narrowband
                    }
                }
            }
        }
        // The static audio types a carrier meets (0 PCMU, 3 GSM, 8 PCMA, 9 G722, 18 G729) all use an 8 kHz RTP clock.
        return 8000;
    }

    public boolean rtp() {
        return proto.startsWith("RTP/") || proto.startsWith("UDP/TLS/RTP/");
    }

    String mLine(int newPort) {
        return "m=" + media + " " + newPort + " " + proto + (formats.isEmpty() ? "" : " " + formats);
    }
}
