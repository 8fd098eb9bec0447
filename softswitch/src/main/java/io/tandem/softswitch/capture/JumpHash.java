package io.tandem.softswitch.capture;

/**
 * Jump consistent hash (Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm",
 * 2014): maps a 64-bit key to one of {@code buckets} so that going from n to n+1 buckets moves only
 * about 1/(n+1) of the keys, all of them into the new bucket. Written from the paper's description.
 */
public final class JumpHash {

    private JumpHash() {
    }

    public static int bucket(long key, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be at least 1, got " + buckets);
        }
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            // the paper's 64-bit linear congruential step
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }
}
