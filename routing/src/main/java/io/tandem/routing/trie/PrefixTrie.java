package io.tandem.routing.trie;

import java.util.Arrays;

/**
 * An immutable digit trie over dialling prefixes ({@code 0-9}), built once per routing snapshot.
 *
 * <p>Each prefix added to the {@link Builder} gets a dense id ({@code 0..size()-1}) that the caller
 * uses to index its own per-prefix data (rates, blocks, rules), so the trie stores no payload.
 *
 * <p>Frozen layout: a node is one {@code long} holding its 10-bit child mask, the index of its first
 * child and its prefix id, so a step down the trie reads one array element and allocates nothing.
 * The children of a node are stored next to each other, and descending to digit {@code d} is
 * {@code firstChild + bitCount(mask & ((1 << d) - 1))}. Sibling groups are laid out depth-first, so
 * the deep, sparse end of a path (where a large trie's cache misses are) sits in nearby memory.
 * 8 bytes per node, no object per node (see {@code docs/performance.md}).
 *
 * <p>A number matches a prefix when it starts with it. Lookups stop at the first non-digit, so
 * {@code "44#"} matches like {@code "44"}.
 */
public final class PrefixTrie {

    /** Longest prefix the trie accepts; the schema stores prefixes as {@code VARCHAR(32)}. */
    public static final int MAX_PREFIX_LENGTH = 32;

    /** Most nodes a trie can hold: the first-child index has 26 bits. */
    public static final int MAX_NODES = 1 << 26;

    private static final int NONE = -1;
    private static final long MASK = 0x3FF;
    private static final int CHILD_SHIFT = 10;
    private static final long CHILD_BITS = (1L << 26) - 1;
    private static final int ID_SHIFT = 36;

    /** Per node: child mask (bits 0-9), first child index (bits 10-35), prefix id + 1 (bits 36-63, 0 = none). */
    private final long[] nodes;
    private final byte[] lengthOfPrefix;

    private PrefixTrie(long[] nodes, byte[] lengthOfPrefix) {
        this.nodes = nodes;
        this.lengthOfPrefix = lengthOfPrefix;
    }

    private static int idOf(long node) {
        return (int) (node >>> ID_SHIFT) - 1;
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
        return idOf(nodes[node]);
    }

    /** The child of {@code node} for the digit character {@code c}, or {@code NONE} (no such child, or not a digit). */
    private int childOfChar(int node, char c) {
        int digit = c - '0';
        return digit < 0 || digit > 9 ? NONE : child(node, digit);
    }

    /** The id of the longest added prefix that {@code number} starts with, or -1. */
    public int longestMatch(CharSequence number) {
        int node = 0;
        int best = idOf(nodes[0]);
        int length = number.length();
        for (int i = 0; i < length; i++) {
            node = childOfChar(node, number.charAt(i));
            if (node < 0) {
                break;
            }
            int id = idOf(nodes[node]);
            if (id != NONE) {
                best = id;
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
        int rootId = idOf(nodes[0]);
        if (rootId != NONE) {
            out[count++] = rootId;
        }
        int length = number.length();
        for (int i = 0; i < length; i++) {
            node = childOfChar(node, number.charAt(i));
            if (node < 0) {
                break;
            }
            int id = idOf(nodes[node]);
            if (id != NONE) {
                out[count++] = id;
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
        return (int) (data >>> CHILD_SHIFT & CHILD_BITS) + Integer.bitCount(mask & (bit - 1));
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
            if (nodes > MAX_NODES) {
                throw new IllegalStateException("A trie holds at most " + MAX_NODES + " nodes, this one needs " + nodes);
            }
            long[] packed = new long[nodes];
            int[] position = new int[nodes];
            // Depth-first over sibling groups: place a node's children together, then descend into
            // the first child before the second, so a path's deep nodes end up near each other.
            int[] stack = new int[Math.max(16, MAX_PREFIX_LENGTH * 10 + 10)];
            int depth = 0;
            stack[depth++] = 0;
            position[0] = 0;
            int next = 1;
            int[] group = new int[10];
            while (depth > 0) {
                int source = stack[--depth];
                int bits = 0;
                int count = 0;
                for (int digit = 0; digit < 10; digit++) {
                    int child = children[source * 10 + digit];
                    if (child != NONE) {
                        bits |= 1 << digit;
                        position[child] = next + count;
                        group[count++] = child;
                    }
                }
                int id = prefixIds[source];
                packed[position[source]] = (long) (id + 1) << ID_SHIFT | (long) next << CHILD_SHIFT | bits;
                next += count;
                for (int k = count - 1; k >= 0; k--) {
                    stack[depth++] = group[k];
                }
            }
            return new PrefixTrie(packed, Arrays.copyOf(lengths, prefixes));
        }
    }
}
