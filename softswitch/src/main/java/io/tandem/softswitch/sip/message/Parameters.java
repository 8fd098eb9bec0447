package io.tandem.softswitch.sip.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An ordered, immutable list of {@code ;name[=value]} parameters. Names compare
 * case-insensitively (RFC 3261 §7.3.1); values keep their original text, quotes included.
 * A parameter without a value (e.g. {@code ;lr}) has a {@code null} value.
 */
public final class Parameters {
    public static final Parameters EMPTY = new Parameters(new String[0]);

    /** name0, value0, name1, value1, ... */
    private final String[] pairs;

    private Parameters(String[] pairs) {
        this.pairs = pairs;
    }

    public int size() {
        return pairs.length / 2;
    }

    public boolean isEmpty() {
        return pairs.length == 0;
    }

    public String name(int i) {
        return pairs[2 * i];
    }

    public String value(int i) {
        return pairs[2 * i + 1];
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /** The value of the first parameter with that name; {@code null} if absent or valueless. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : pairs[i + 1];
    }

    private int indexOf(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A copy with {@code name} set to {@code value} (replacing an existing one, else appended). */
    public Parameters with(String name, String value) {
        int i = indexOf(name);
        String[] copy;
        if (i >= 0) {
            copy = pairs.clone();
            copy[i + 1] = value;
        } else {
            copy = Arrays.copyOf(pairs, pairs.length + 2);
            copy[pairs.length] = name;
            copy[pairs.length + 1] = value;
        }
        return new Parameters(copy);
    }

    /** A copy without any parameter of that name. */
    public Parameters without(String name) {
        List<String> out = new ArrayList<>(pairs.length);
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i].equalsIgnoreCase(name)) {
                out.add(pairs[i]);
                out.add(pairs[i + 1]);
            }
        }
        return out.size() == pairs.length ? this : new Parameters(out.toArray(new String[0]));
    }

    /** Appends {@code ;name[=value]} for every parameter. */
    public void appendTo(StringBuilder sb) {
        for (int i = 0; i < pairs.length; i += 2) {
            sb.append(';').append(pairs[i]);
            if (pairs[i + 1] != null) {
                sb.append('=').append(pairs[i + 1]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && Arrays.equals(pairs, p.pairs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pairs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb);
        return sb.toString();
    }

    /** Collects pairs into one array, sized for the usual single parameter and grown by doubling. */
    static final class Builder {
        private String[] pairs = new String[2];
        private int n;

        Builder add(String name, String value) {
            if (n == pairs.length) {
                pairs = Arrays.copyOf(pairs, n * 2);
            }
            pairs[n++] = name;
            pairs[n++] = value;
            return this;
        }

        Parameters build() {
            return n == 0 ? EMPTY : new Parameters(n == pairs.length ? pairs : Arrays.copyOf(pairs, n));
        }
    }
}
