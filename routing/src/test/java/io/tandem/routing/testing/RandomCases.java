package io.tandem.routing.testing;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs a randomized check many times, each with its own seed, and names the seed when one fails so
 * the case can be replayed: {@code -Dtandem.test.seed=<seed>} runs only that case. The seeds are
 * fixed by default, so a build is repeatable; set {@code -Dtandem.test.seed=random} to explore.
 */
public final class RandomCases {

    private static final long BASE_SEED = 0x7A4D_E3C1_5EEDL;

    private RandomCases() {
    }

    public static void check(int cases, Consumer<SplittableRandom> property) {
        String configured = System.getProperty("tandem.test.seed", "");
        if (!configured.isEmpty() && !configured.equals("random")) {
            long seed = Long.parseLong(configured);
            run(seed, property);
            return;
        }
        long base = configured.equals("random") ? System.nanoTime() : BASE_SEED;
        SplittableRandom seeds = new SplittableRandom(base);
        for (int i = 0; i < cases; i++) {
            run(seeds.nextLong(), property);
        }
    }

    private static void run(long seed, Consumer<SplittableRandom> property) {
        try {
            property.accept(new SplittableRandom(seed));
        } catch (AssertionError e) {
            throw new AssertionError("Failed for -Dtandem.test.seed=" + seed + ": " + e.getMessage(), e);
        }
    }

    /** A string of {@code minLength..maxLength} characters drawn from {@code alphabet}. */
    public static String string(SplittableRandom random, String alphabet, int minLength, int maxLength) {
        int length = random.nextInt(minLength, maxLength + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
