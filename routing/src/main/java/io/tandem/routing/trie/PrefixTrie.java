package io.tandem.routing.trie;

import java.util.Arrays;

/**
 * An immutable digit trie over dialling prefixes ({@code 0-9}), built once per routing snapshot.
 *
 * <p>Each prefix added to the {@link Builder} gets a dense id ({@code 0..size()-1}) that the caller
 * uses to index its own per-prefix data (rates, blocks, rules), so the trie stores no payload. The
 * frozen layout is breadth-first with the children of a node stored next to each other: a node is
 * one {@code long} holding a 10-bit child mask, a has-prefix flag and the index of its first child,
 * so a step down the trie reads one array element. Descending to digit {@code d} is
 * {@code firstChild + bitCount(mask & ((1 << d) - 1))}: no allocation, no object per node, and a
 * few bytes per prefix (see {@code docs/performance.md}).
 *
 * <p>A number matches a prefix when it starts with it. Lookups stop at the first non-digit, so
 * {@code "44#"} matches like {@code "44"}.
 */
public final class PrefixTrie {

    /** Longest prefix the trie accepts; the schema stores prefixes as {@code VARCHAR(32)}. */
    public static final int MAX_PREFIX_LENGTH = 32;

    private static final int NONE = -1;
    private static final long MASK = 0x3FF;
    private static final long HAS_PREFIX = 1L << 10;

    /** Per node: child mask (bits 0-9), {@link #HAS_PREFIX} (bit 10), first child index (bits 32-63). */
    private final long[] nodes;
    private final int[] prefixIdOfNode;
    private final byte[] lengthOfPrefix;

    private PrefixTrie(long[] nodes, int[] prefixIdOfNode, byte[] lengthOfPrefix) {
        this.nodes = nodes;
        this.prefixIdOfNode = prefixIdOfNode;
        this.lengthOfPrefix = lengthOfPrefix;
    }

    public static Builder builder() {
        return new Builder(1024);
    }

    /** A builder sized for about {@code expectedPrefixes} prefixes, to avoid regrowing. */
    public static Builder builder(int expectedPrefixes) {
        return new Builder(Math.max(16, expectedPrefixes * 2));
    }

    /** Whether {@link Builder#add} accepts this prefix: digits only, at most {@link #MAX_PREFIX_LENGTH}. */
    public static boolean isValidPrefix(CharSequence prefix) {
        if (prefix == null || prefix.length() > MAX_PREFIX_LENGTH) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Number of distinct prefixes. */
    public int size() {
        return lengthOfPrefix.length;
    }

    /** Number of trie nodes, the root included; useful to reason about memory. */
    public int nodeCount() {
        return nodes.length;
    }

    /** The id of exactly this prefix, or -1 if it was never added. */
    public int find(CharSequence prefix) {
        int node = 0;
        for (int i = 0; i < prefix.length(); i++) {
            int digit = prefix.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return NONE;
            }
            node = child(node, digit);
            if (node == NONE) {
                return NONE;
            }
        }
        return prefixIdOfNode[node];
    }

    /** The id of the longest added prefix that {@code number} starts with, or -1. */
    public int longestMatch(CharSequence number) {
        int node = 0;
        int best = prefixIdOfNode[0];
        int length = number.length();
        for (int i = 0; i < length; i++) {
            int digit = number.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            long data = nodes[node];
            int mask = (int) (data & MASK);
            int bit = 1 << digit;
            if ((mask & bit) == 0) {
                break;
            }
            node = (int) (data >>> 32) + Integer.bitCount(mask & (bit - 1));
            if ((nodes[node] & HAS_PREFIX) != 0) {
                best = prefixIdOfNode[node];
            }
        }
        return best;
    }

    /**
     * Writes the ids of every added prefix that {@code number} starts with into {@code out},
     * longest first, and returns how many there are. {@code out} needs room for
     * {@code min(number.length(), MAX_PREFIX_LENGTH) + 1} ids.
     */
    public int matches(CharSequence number, int[] out) {
        int count = 0;
        int node = 0;
        if (prefixIdOfNode[0] != NONE) {
            out[count++] = prefixIdOfNode[0];
        }
        int length = number.length();
        for (int i = 0; i < length; i++) {
            int digit = number.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            long data = nodes[node];
            int mask = (int) (data & MASK);
            int bit = 1 << digit;
            if ((mask & bit) == 0) {
                break;
            }
            node = (int) (data >>> 32) + Integer.bitCount(mask & (bit - 1));
            if ((nodes[node] & HAS_PREFIX) != 0) {
                out[count++] = prefixIdOfNode[node];
            }
        }
        for (int i = 0, j = count - 1; i < j; i++, j--) {
            int swap = out[i];
            out[i] = out[j];
            out[j] = swap;
        }
        return count;
    }

    /**
     * Length of the prefix with this id. The trie keeps no prefix strings: a caller that matched
     * {@code number} gets the matched prefix as {@code number.substring(0, prefixLength(id))}.
     */
    public int prefixLength(int id) {
        return lengthOfPrefix[id];
    }

    private int child(int node, int digit) {
        long data = nodes[node];
        int mask = (int) (data & MASK);
        int bit = 1 << digit;
        if ((mask & bit) == 0) {
            return NONE;
        }
        return (int) (data >>> 32) + Integer.bitCount(mask & (bit - 1));
    }

    /**
     * Collects prefixes in a mutable array trie (ten child slots per node), then
     * {@link #build() freezes} it into the compact breadth-first layout. Not thread-safe.
     */
    public static final class Builder {

        private int[] children;
        private int[] prefixIds;
        private byte[] lengths = new byte[64];
        private int nodes = 1;
        private int prefixes;

        private Builder(int expectedNodes) {
            children = new int[expectedNodes * 10];
            prefixIds = new int[expectedNodes];
            Arrays.fill(children, NONE);
            Arrays.fill(prefixIds, NONE);
        }

        /**
         * Adds a prefix and returns its id; adding the same prefix again returns the same id.
         *
         * @throws IllegalArgumentException if the prefix holds anything but digits or is longer
         *         than {@link #MAX_PREFIX_LENGTH}
         */
        public int add(CharSequence prefix) {
            if (prefix.length() > MAX_PREFIX_LENGTH) {
                throw new IllegalArgumentException("Prefix longer than " + MAX_PREFIX_LENGTH + " digits: " + prefix);
            }
            int node = 0;
            for (int i = 0; i < prefix.length(); i++) {
                int digit = prefix.charAt(i) - '0';
                if (digit < 0 || digit > 9) {
                    throw new IllegalArgumentException("Prefix must hold digits only: " + prefix);
                }
                int slot = node * 10 + digit;
                int next = children[slot];
                if (next == NONE) {
                    next = newNode();
                    children[slot] = next;
                }
                node = next;
            }
            int id = prefixIds[node];
            if (id == NONE) {
                id = prefixes++;
                prefixIds[node] = id;
                if (id == lengths.length) {
                    lengths = Arrays.copyOf(lengths, lengths.length * 2);
                }
                lengths[id] = (byte) prefix.length();
            }
            return id;
        }

        /** Number of distinct prefixes added so far. */
        public int size() {
            return prefixes;
        }

        private int newNode() {
            if (nodes == prefixIds.length) {
                int capacity = prefixIds.length + (prefixIds.length >> 1);
                int oldSlots = children.length;
                children = Arrays.copyOf(children, capacity * 10);
                Arrays.fill(children, oldSlots, children.length, NONE);
                int oldIds = prefixIds.length;
                prefixIds = Arrays.copyOf(prefixIds, capacity);
                Arrays.fill(prefixIds, oldIds, prefixIds.length, NONE);
            }
            return nodes++;
        }

        /** Freezes the prefixes added so far; the builder may be used again afterwards. */
        public PrefixTrie build() {
            long[] packed = new long[nodes];
            int[] idOfNode = new int[nodes];
            // Breadth-first: queue[i] is the builder node placed at compact index i.
            int[] queue = new int[nodes];
            queue[0] = 0;
            int tail = 1;
            for (int head = 0; head < tail; head++) {
                int source = queue[head];
                int id = prefixIds[source];
                idOfNode[head] = id;
                int bits = 0;
                int first = tail;
                for (int digit = 0; digit < 10; digit++) {
                    int child = children[source * 10 + digit];
                    if (child != NONE) {
                        bits |= 1 << digit;
                        queue[tail++] = child;
                    }
                }
                packed[head] = (long) first << 32 | (id != NONE ? HAS_PREFIX : 0) | bits;
            }
            return new PrefixTrie(packed, idOfNode, Arrays.copyOf(lengths, prefixes));
        }
    }
}
