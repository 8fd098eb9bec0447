package io.tandem.softswitch.sip.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of valid SIP messages, aimed at the parser's edges: absurd or negative
 * Content-Length, missing CRLFs, 64 KiB lines, NUL bytes, duplicated Via, broken CSeq,
 * truncation, header-count bombs, random bit flips and splices.
 */
public final class SipMutator {
    private final SplittableRandom random;
    private final List<byte[]> seeds;

    public SipMutator(long seed, List<byte[]> seeds) {
        this.random = new SplittableRandom(seed);
        this.seeds = seeds;
    }

    public byte[] next() {
        byte[] base = seeds.get(random.nextInt(seeds.size()));
        String s = new String(base, StandardCharsets.ISO_8859_1);
        int rounds = 1 + random.nextInt(3);
        for (int i = 0; i < rounds; i++) {
            s = mutate(s);
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private String mutate(String s) {
        return switch (random.nextInt(12)) {
            case 0 -> s.replaceAll("(?i)(Content-Length|\\nl) *: *\\d+", "$1: " + pick("99999999999", "-1", "-999",
                "4294967296", "1e3", "", " 12 13", "00000000000000000000005"));
            case 1 -> removeOne(s, "\r\n");
            case 2 -> insertLine(s, "X-Long: " + "A".repeat(64 * 1024));
            case 3 -> insertAt(s, "\0".repeat(1 + random.nextInt(4)));
            case 4 -> duplicateLine(s, "Via:");
            case 5 -> s.replaceAll("CSeq: *\\d+", "CSeq: " + pick("-1", "99999999999999999999", "", "1 2", "x"));
            case 6 -> s.substring(0, random.nextInt(Math.max(1, s.length())));
            case 7 -> insertLine(s, "X-Bomb: 1\r\nX-Bomb: 1\r\n".repeat(200));
            case 8 -> flip(s);
            case 9 -> {
                String other = new String(seeds.get(random.nextInt(seeds.size())), StandardCharsets.ISO_8859_1);
                int a = random.nextInt(s.length() + 1);
                int b = random.nextInt(other.length() + 1);
                yield s.substring(0, a) + other.substring(b);
            }
            case 10 -> s.replace("\r\n", pick("\n", "\r", "\r\n ", "\r\n\r\n"));
            default -> s.replaceFirst("SIP/2.0", pick("SIP/2.1", "SIP/", "", "SIP/2.0 ", "sip/2.0"));
        };
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String removeOne(String s, String what) {
        int at = s.indexOf(what, random.nextInt(Math.max(1, s.length())));
        return at < 0 ? s : s.substring(0, at) + s.substring(at + what.length());
    }

    private String insertLine(String s, String line) {
        int at = s.indexOf("\r\n");
        return at < 0 ? line + s : s.substring(0, at + 2) + line + "\r\n" + s.substring(at + 2);
    }

    private String insertAt(String s, String what) {
        int at = random.nextInt(s.length() + 1);
        return s.substring(0, at) + what + s.substring(at);
    }

    private String duplicateLine(String s, String prefix) {
        int at = s.indexOf(prefix);
        if (at < 0) {
            return s;
        }
        int end = s.indexOf("\r\n", at);
        if (end < 0) {
            return s;
        }
        String line = s.substring(at, end + 2);
        return s.substring(0, at) + line.repeat(1 + random.nextInt(40)) + s.substring(end + 2);
    }

    private String flip(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n && b.length > 0; i++) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.writeBytes(b);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
