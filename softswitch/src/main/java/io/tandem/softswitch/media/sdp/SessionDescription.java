package io.tandem.softswitch.media.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An SDP body (RFC 4566) as far as a media relay needs it: the session-level lines and the
 * {@code m=} sections, each kept as written so that everything the relay does not rewrite
 * (codecs, {@code a=crypto}, {@code a=fmtp} for RFC 4733 events …) passes through byte for byte.
 *
 * <p>Limits, because a stranger writes it: {@value #MAX_BYTES} bytes, {@value #MAX_LINES} lines,
 * {@value #MAX_MEDIA} {@code m=} sections, {@value #MAX_LINE_LENGTH} characters a line.
 */
public record SessionDescription(List<String> sessionLines, List<MediaDescription> media) {

    public static final int MAX_BYTES = 16 * 1024;
    public static final int MAX_LINES = 512;
    public static final int MAX_MEDIA = 16;
    public static final int MAX_LINE_LENGTH = 1024;

    public SessionDescription {
        sessionLines = List.copyOf(sessionLines);
        media = List.copyOf(media);
    }

    public static SessionDescription parse(byte[] body) throws SdpSyntaxException {
        if (body.length > MAX_BYTES) {
            throw new SdpSyntaxException("SDP larger than " + MAX_BYTES + " bytes");
        }
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    /** Parses a body; lines may end in CRLF or, leniently, LF (RFC 4566 §5). */
    public static SessionDescription parse(String text) throws SdpSyntaxException {
        String[] raw = text.split("\r?\n", -1);
        if (raw.length > MAX_LINES + 1) {
            throw new SdpSyntaxException("SDP has more than " + MAX_LINES + " lines");
        }
        List<String> session = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        String mLine = null;
        List<String> mLines = new ArrayList<>();
        int number = 0;
        for (String line : raw) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() > MAX_LINE_LENGTH) {
                throw new SdpSyntaxException("SDP line " + number + " longer than " + MAX_LINE_LENGTH);
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw new SdpSyntaxException("SDP line " + number + " is not <type>=<value>");
            }
            if (line.startsWith("m=")) {
                if (mLine != null) {
                    media.add(section(mLine, mLines));
                }
                if (media.size() == MAX_MEDIA) {
                    throw new SdpSyntaxException("SDP has more than " + MAX_MEDIA + " m= lines");
                }
                mLine = line;
                mLines = new ArrayList<>();
            } else if (mLine == null) {
                session.add(line);
            } else {
                mLines.add(line);
            }
        }
        if (mLine != null) {
            media.add(section(mLine, mLines));
        }
        if (session.isEmpty() || !session.getFirst().equals("v=0")) {
            throw new SdpSyntaxException("SDP does not start with v=0");
        }
        SessionDescription parsed = new SessionDescription(session, media);
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            if (m.port() != 0 && parsed.connectionAddressOf(i) == null) {
                throw new SdpSyntaxException("SDP m= line " + (i + 1) + " has no c= address");
            }
        }
        return parsed;
    }

    private static MediaDescription section(String line, List<String> rest) throws SdpSyntaxException {
        String[] f = line.substring(2).split(" ", 4);
        if (f.length < 3) {
            throw new SdpSyntaxException("SDP m= line needs media, port and proto");
        }
        String portField = f[1];
        int slash = portField.indexOf('/');
        if (slash >= 0) {
            portField = portField.substring(0, slash); // "<port>/<count>" (RFC 4566 §5.14): the relay anchors the first
        }
        int port;
        try {
            port = Integer.parseInt(portField);
        } catch (NumberFormatException e) {
            throw new SdpSyntaxException("SDP m= port is not a number: " + f[1]);
        }
        if (port < 0 || port > 65535) {
            throw new SdpSyntaxException("SDP m= port out of range: " + port);
        }
        return new MediaDescription(f[0], port, f[2], f.length > 3 ? f[3] : "", rest);
    }

    /** The address media of section {@code index} goes to: its own {@code c=}, else the session's. */
    public String connectionAddressOf(int index) {
        String own = media.get(index).connectionAddress();
        if (own != null) {
            return own;
        }
        for (String line : sessionLines) {
            if (line.startsWith("c=")) {
                return addressOf(line);
            }
        }
        return null;
    }

    /** The direction of section {@code index}: its own attribute, else the session's, else sendrecv. */
    public MediaDirection directionOf(int index) {
        MediaDirection own = media.get(index).ownDirection();
        if (own != null) {
            return own;
        }
        for (String line : sessionLines) {
            MediaDirection d = MediaDirection.ofLine(line);
            if (d != null) {
                return d;
            }
        }
        return MediaDirection.SENDRECV;
    }

    /** The origin's address ({@code o=} field 6), or null when absent. */
    public String originAddress() {
        for (String line : sessionLines) {
            if (line.startsWith("o=")) {
                String[] f = line.substring(2).split(" ");
                return f.length >= 6 ? f[5] : null;
            }
        }
        return null;
    }

    /** The body as written on the wire: CRLF after every line (RFC 4566 §5). */
    public String text() {
        StringBuilder out = new StringBuilder(512);
        for (String line : sessionLines) {
            out.append(line).append("\r\n");
        }
        for (MediaDescription m : media) {
            out.append(m.mLine(m.port())).append("\r\n");
            for (String line : m.lines()) {
                out.append(line).append("\r\n");
            }
        }
        return out.toString();
    }

    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    /** The address of a {@code c=IN IP4 <address>[/ttl]} line. */
    static String addressOf(String cLine) {
        String[] f = cLine.substring(2).strip().split(" ");
        if (f.length < 3) {
            return null;
        }
        String address = f[2];
        int slash = address.indexOf('/');
        return slash >= 0 ? address.substring(0, slash) : address;
    }
}
