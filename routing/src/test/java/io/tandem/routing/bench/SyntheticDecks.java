package io.tandem.routing.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Benchmark data shaped like a carrier's: a world list of {@code codes} dialling codes (country
 * code, then area or mobile ranges), and {@code vendors} decks that each price every code, a fifth
 * of them through a longer vendor-specific sub-code. 50 vendors x 20,000 codes = 1,000,000 rates.
 */
public final class SyntheticDecks {

    public final int vendors;
    public final String[] prefix;
    public final int[] deck;
    public final long[] rateMicros;
    public final List<String> worldCodes;

    private SyntheticDecks(int vendors, List<String> worldCodes, String[] prefix, int[] deck, long[] rateMicros) {
        this.vendors = vendors;
        this.worldCodes = worldCodes;
        this.prefix = prefix;
        this.deck = deck;
        this.rateMicros = rateMicros;
    }

    public int size() {
        return prefix.length;
    }

    public static SyntheticDecks generate(int vendors, int codes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> countries = new ArrayList<>();
        Set<String> seenCountries = new HashSet<>();
        while (countries.size() < 220) {
            int length = 1 + random.nextInt(3);
            String cc = Integer.toString(1 + random.nextInt(9)) + digits(random, length - 1);
            if (seenCountries.add(cc)) {
                countries.add(cc);
            }
        }
        Set<String> seen = new HashSet<>();
        List<String> world = new ArrayList<>(codes);
        while (world.size() < codes) {
            String code = countries.get(random.nextInt(countries.size())) + digits(random, random.nextInt(7));
            if (seen.add(code)) {
                world.add(code);
            }
        }
        int n = vendors * codes;
        String[] prefix = new String[n];
        int[] deck = new int[n];
        long[] rate = new long[n];
        int i = 0;
        for (int v = 0; v < vendors; v++) {
            for (String code : world) {
                prefix[i] = random.nextInt(5) == 0 ? code + random.nextInt(10) : code;
                deck[i] = v;
                rate[i] = 1_000 + random.nextLong(500_000);
                i++;
            }
        }
        return new SyntheticDecks(vendors, List.copyOf(world), prefix, deck, rate);
    }

    /** Dialled numbers that start with world codes, padded to 12 digits. */
    public String[] numbers(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] numbers = new String[count];
        for (int i = 0; i < count; i++) {
            String code = worldCodes.get(random.nextInt(worldCodes.size()));
            numbers[i] = code + digits(random, Math.max(1, 12 - code.length()));
        }
        return numbers;
    }

    private static String digits(SplittableRandom random, int count) {
        StringBuilder s = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        return s.toString();
    }
}
