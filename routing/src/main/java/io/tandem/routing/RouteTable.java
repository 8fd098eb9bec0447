package io.tandem.routing;

import io.tandem.routing.normalize.NormalizedCall;
import io.tandem.routing.trie.PrefixTrie;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * An immutable snapshot of everything routing needs: every deck's rates over one shared
 * {@link PrefixTrie}, vendors and their gateways, routing profiles, trunks and blocked
 * destinations. A node builds a new snapshot beside the old one and swaps a reference
 * ({@code io.tandem.routing.reload.RouteTableHolder}); lookups never lock.
 *
 * <p>Rates are stored in primitive arrays (no object per rate) grouped by prefix, and within a
 * prefix sorted by deck and start time, so a lookup at time {@code t} walks the called number once
 * and binary-searches each deck it needs. A prefix may carry its current rate and scheduled future
 * rates; the lookup picks the one in force at {@code t}, so scheduled changes take effect on time
 * without a reload. The longest prefix <em>with a rate in force at t</em> wins: a closed code falls
 * back to its shorter parent.
 */
public final class RouteTable {

    /** {@code effectiveUntil} of an open-ended rate, in epoch milliseconds. */
    public static final long OPEN_ENDED = Long.MAX_VALUE;

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final int STRIDE = 6;
    /** Grace seconds sit above the destination index and the blocked bit in an entry's last slot. */
    private static final int GRACE_SHIFT = 40;
    /** The longest grace period a rate may have, in seconds. */
    public static final int MAX_GRACE_SECONDS = 3600;

    private final long version;
    private final PrefixTrie trie;
    private final int[] entryStart;
    private final int[] entryDeck;
    /**
     * The rest of an entry, {@value #STRIDE} longs side by side so that one lookup touches one or two
     * cache lines: from, until, rate, connect fee, increments (initial high, next low), destination
     * index shifted left by one with the blocked flag in bit 0.
     */
    private final long[] entryData;
    private final String[] destinations;
    private final long[] deckIds;
    /** Deck ids sorted, with their {@link DeckInfo} alongside: found by binary search, no boxing. */
    private final long[] sortedDeckIds;
    private final DeckInfo[] decksBySortedId;
    private final Map<Long, Trunk> trunks;
    private final Map<Long, Vendor> vendors;
    private final Map<Long, Gateway> gateways;
    private final Map<Long, List<Gateway>> gatewaysByVendor;
    private final Map<Long, ProfileIndex> profiles;
    private final Map<Long, BlockIndex> blocks;

    private RouteTable(Builder builder, PrefixTrie trie, int[] entryStart, int[] order) {
        this.version = builder.version;
        this.trie = trie;
        this.entryStart = entryStart;
        int n = order.length;
        entryDeck = new int[n];
        entryData = new long[n * STRIDE];
        for (int i = 0; i < n; i++) {
            int source = order[i];
            entryDeck[i] = builder.deck[source];
            int at = i * STRIDE;
            entryData[at] = builder.from[source];
            entryData[at + 1] = builder.until[source];
            entryData[at + 2] = builder.rate[source];
            entryData[at + 3] = builder.connectFee[source];
            entryData[at + 4] = (long) builder.initial[source] << 32 | (builder.next[source] & 0xFFFF_FFFFL);
            entryData[at + 5] = (long) builder.grace[source] << GRACE_SHIFT | (long) builder.destination[source] << 1
                    | (builder.blocked[source] ? 1 : 0);
        }
        this.destinations = builder.destinationList.toArray(String[]::new);
        this.deckIds = new long[builder.deckList.size()];
        for (int i = 0; i < deckIds.length; i++) {
            deckIds[i] = builder.deckList.get(i).deckId();
        }
        List<DeckInfo> sortedDecks = new ArrayList<>(builder.deckList);
        sortedDecks.sort(Comparator.comparingLong(DeckInfo::deckId));
        this.sortedDeckIds = sortedDecks.stream().mapToLong(DeckInfo::deckId).toArray();
        this.decksBySortedId = sortedDecks.toArray(DeckInfo[]::new);
        this.trunks = new HashMap<>(builder.trunks);
        this.vendors = new HashMap<>(builder.vendors);
        this.gateways = new HashMap<>(builder.gateways);
        Map<Long, List<Gateway>> byVendor = new HashMap<>();
        for (Gateway gateway : builder.gateways.values()) {
            byVendor.computeIfAbsent(gateway.vendorAccountId(), k -> new ArrayList<>()).add(gateway);
        }
        byVendor.replaceAll((vendor, list) -> {
            list.sort(Comparator.comparingInt(Gateway::priority).thenComparingLong(Gateway::id));
            return List.copyOf(list);
        });
        this.gatewaysByVendor = byVendor;
        Map<Long, ProfileIndex> profileIndex = new HashMap<>();
        for (RoutingProfile profile : builder.profiles.values()) {
            profileIndex.put(profile.id(), ProfileIndex.of(profile, this::resolve));
        }
        this.profiles = profileIndex;
        Map<Long, List<BlockedDestination>> blockedByAccount = new HashMap<>();
        for (BlockedDestination block : builder.blockedList) {
            blockedByAccount.computeIfAbsent(block.accountId(), k -> new ArrayList<>()).add(block);
        }
        Map<Long, BlockIndex> blockIndex = new HashMap<>();
        blockedByAccount.forEach((account, list) -> blockIndex.put(account, BlockIndex.of(list)));
        this.blocks = blockIndex;
    }

    public static Builder builder(long version) {
        return new Builder(version);
    }

    /** The {@code config_version} this snapshot was built from. */
    public long version() {
        return version;
    }

    /** Number of rate entries (prefix, deck, period) in the table. */
    public int rateCount() {
        return entryDeck.length;
    }

    /** Number of distinct prefixes over all decks. */
    public int prefixCount() {
        return trie.size();
    }

    /** The ids of every trunk in this table. */
    public java.util.Set<Long> trunkIds() {
        return java.util.Collections.unmodifiableSet(trunks.keySet());
    }

    /** Every vendor gateway of this table, enabled or not (e.g. to exempt their addresses from flood protection). */
    public java.util.Collection<Gateway> gateways() {
        return java.util.Collections.unmodifiableCollection(gateways.values());
    }

    public Optional<Trunk> trunk(long trunkId) {
        return Optional.ofNullable(trunks.get(trunkId));
    }

    public Optional<RoutingProfile> profile(long profileId) {
        ProfileIndex index = profiles.get(profileId);
        return index == null ? Optional.empty() : Optional.of(index.profile);
    }

    /** The rate of one deck for a number at an instant: the longest prefix in force, if any. */
    public Optional<Rate> rateAt(long deckId, String number, Instant at) {
        DeckInfo deck = deck(deckId);
        if (deck == null) {
            return Optional.empty();
        }
        int[] matched = new int[Math.min(number.length(), PrefixTrie.MAX_PREFIX_LENGTH) + 1];
        int count = trie.matches(number, matched);
        long entry = findEntry(deck.index(), matched, count, at.toEpochMilli());
        return entry < 0 ? Optional.empty() : Optional.of(toRate(entry, number));
    }

    /** Routes a call the way the call path does: no trace, neutral quality, thread-local randomness. */
    public RouteResult route(long trunkId, String dialled, String caller, Instant now) {
        return route(trunkId, dialled, caller, now, RouteOptions.DEFAULT);
    }

    /** Routes a call and records every step, for the route simulator. */
    public RouteResult explain(long trunkId, String dialled, String caller, Instant now) {
        return route(trunkId, dialled, caller, now, RouteOptions.DEFAULT.withTrace(true));
    }

    /** {@link #explain(long, String, String, Instant)} with the registrations the node knows now. */
    public RouteResult explain(long trunkId, String dialled, String caller, Instant now, RegisteredContacts registered) {
        return route(trunkId, dialled, caller, now, RouteOptions.DEFAULT.withTrace(true).withRegistered(registered));
    }

    /**
     * Decides what the customer pays for a call on {@code trunkId} to {@code dialled} at
     * {@code now} and which vendor gateways to try, in order; or why the call has no route.
     */
    public RouteResult route(long trunkId, String dialled, String caller, Instant now, RouteOptions options) {
        List<String> trace = options.trace() ? new ArrayList<>() : null;
        Trunk trunk = trunks.get(trunkId);
        String dialledNumber = dialled == null ? "" : dialled;
        String callerNumber = caller == null ? "" : caller;
        if (trunk == null) {
            return noRoute(NoRouteReason.UNKNOWN_TRUNK, "no ingress trunk with id " + trunkId, trunkId,
                    dialledNumber, callerNumber, null, List.of(), trace);
        }
        if (trace != null) {
            trace.add("trunk " + trunk.name() + " (id " + trunkId + ", account " + trunk.accountId() + ")");
        }
        if (!trunk.enabled()) {
            return noRoute(NoRouteReason.TRUNK_DISABLED, "trunk " + trunk.name() + " is disabled", trunkId,
                    dialledNumber, callerNumber, null, List.of(), trace);
        }
        NormalizedCall call = trunk.normalizer().normalize(dialledNumber, callerNumber);
        if (trace != null) {
            trace.addAll(call.steps());
        }
        String callee = call.callee();
        if (!call.techPrefixMatched()) {
            return noRoute(NoRouteReason.MISSING_TECH_PREFIX, "the number does not start with the trunk's tech prefix "
                    + trunk.normalizer().techPrefix(), trunkId, callee, call.caller(), null, List.of(), trace);
        }
        if (call.untranslatable() != null) {
            return noRoute(NoRouteReason.INVALID_NUMBER, call.untranslatable(), trunkId, callee, call.caller(), null, List.of(), trace);
        }
        if (!isDigits(callee)) {
            return noRoute(NoRouteReason.INVALID_NUMBER, "after translation the number '" + callee
                    + "' is not all digits", trunkId, callee, call.caller(), null, List.of(), trace);
        }
        if (trace != null) {
            trace.add("callee " + callee + ", caller " + call.caller());
        }
        BlockIndex blockIndex = blocks.get(trunk.accountId());
        if (blockIndex != null) {
            BlockedDestination block = blockIndex.match(callee);
            if (block != null) {
                return noRoute(NoRouteReason.BLOCKED_DESTINATION, "destination " + block.prefix()
                        + " is blocked for this customer" + (block.reason().isEmpty() ? "" : ": " + block.reason()),
                        trunkId, callee, call.caller(), null, List.of(), trace);
            }
        }
        int[] matched = new int[Math.min(callee.length(), PrefixTrie.MAX_PREFIX_LENGTH) + 1];
        int matchCount = trie.matches(callee, matched);
        long t = now.toEpochMilli();

        DeckInfo sellDeck = trunk.sellDeckId() == null ? null : deck(trunk.sellDeckId());
        if (sellDeck == null) {
            return noRoute(NoRouteReason.NO_SELL_RATE, "trunk " + trunk.name() + " has no sell deck", trunkId,
                    callee, call.caller(), null, List.of(), trace);
        }
        long sellEntry = findEntry(sellDeck.index(), matched, matchCount, t);
        if (sellEntry < 0) {
            return noRoute(NoRouteReason.NO_SELL_RATE, "sell deck " + sellDeck.deckId() + " has no rate for "
                    + callee + " at " + now, trunkId, callee, call.caller(), null, List.of(), trace);
        }
        Rate sellRate = toRate(sellEntry, callee);
        if (trace != null) {
            trace.add("sell rate " + sellRate.prefix() + " " + describe(sellRate) + " " + sellDeck.currency());
        }
        if (sellRate.blocked()) {
            return noRoute(NoRouteReason.BLOCKED_DESTINATION, "sell rate " + sellRate.prefix() + " is blocked",
                    trunkId, callee, call.caller(), sellRate, List.of(), trace);
        }
        ProfileIndex profile = trunk.routingProfileId() == null ? null : profiles.get(trunk.routingProfileId());
        if (profile == null) {
            return noRoute(NoRouteReason.NO_ROUTING_PROFILE, "trunk " + trunk.name() + " has no routing profile",
                    trunkId, callee, call.caller(), sellRate, List.of(), trace);
        }
        List<ResolvedRule> rules = profile.rulesFor(callee);
        if (trace != null) {
            trace.add("profile " + profile.profile.name() + " (" + profile.profile.strategy().code() + "): "
                    + rules.size() + " rule(s)" + (rules.isEmpty() ? "" : " for prefix '" + rules.get(0).rule().prefix() + "'"));
        }

        List<SkippedVendor> skipped = new ArrayList<>();
        List<Eligible> eligible = new ArrayList<>(rules.size());
        for (ResolvedRule rule : rules) {
            Eligible candidate = check(rule, profile.profile, sellDeck, sellRate, callee, matched, matchCount, t, skipped, trace,
                    options.registered());
            if (candidate != null) {
                eligible.add(candidate);
            }
        }
        order(eligible, profile.profile.strategy(), options);
        List<VendorCandidate> candidates = new ArrayList<>();
        int maxAttempts = profile.profile.maxAttempts();
        for (Eligible e : eligible) {
            for (Gateway gateway : e.gateways) {
                if (candidates.size() >= maxAttempts) {
                    skip(skipped, trace, e.rule, e.vendor, gateway.id(), SkipReason.OVER_MAX_ATTEMPTS, profile.overMaxAttempts, e.rate);
                    continue;
                }
                candidates.add(new VendorCandidate(e.vendor.accountId(), e.vendor.name(), gateway, e.rate,
                        sellRate.ratePerMinuteMicros() - e.rate.ratePerMinuteMicros(), e.rule.id(),
                        e.rule.priority(), e.rule.weight()));
                if (trace != null) {
                    trace.add("candidate " + candidates.size() + ": " + e.vendor.name() + " via " + gateway.name()
                            + " buy " + e.rate.prefix() + " " + describe(e.rate));
                }
            }
        }
        if (candidates.isEmpty() && skipped.stream().anyMatch(skip -> skip.reason() == SkipReason.NOT_REGISTERED)) {
            return noRoute(NoRouteReason.NOT_REGISTERED, "every vendor was skipped; the registered contact it would reach is not "
                    + "registered now", trunkId, callee, call.caller(), sellRate, skipped, trace);
        }
        if (candidates.isEmpty()) {
            return noRoute(NoRouteReason.NO_VENDOR, rules.isEmpty()
                    ? "profile " + profile.profile.name() + " lists no vendor for " + callee
                    : "every vendor was skipped", trunkId, callee, call.caller(), sellRate, skipped, trace);
        }
        return new RouteDecision(trunkId, trunk.accountId(), callee, call.caller(), sellRate, sellDeck.currency(),
                profile.profile.name(), profile.profile.strategy(), candidates, skipped,
                trace == null ? List.of() : trace);
    }

    private DeckInfo deck(long deckId) {
        int i = Arrays.binarySearch(sortedDeckIds, deckId);
        return i < 0 ? null : decksBySortedId[i];
    }

    /** Resolves a rule's vendor, buy deck and gateways once per snapshot, so a call does no map lookups. */
    private ResolvedRule resolve(RoutingRule rule) {
        Vendor vendor = vendors.get(rule.vendorAccountId());
        if (vendor == null) {
            vendor = new Vendor(rule.vendorAccountId(), "account " + rule.vendorAccountId(), false, null);
        }
        DeckInfo buyDeck = vendor.buyDeckId() == null ? null : deck(vendor.buyDeckId());
        Gateway gateway = rule.gatewayId() == null ? null : gateways.get(rule.gatewayId());
        return new ResolvedRule(rule, vendor, buyDeck, gateway, gatewaysByVendor.getOrDefault(vendor.accountId(), List.of()));
    }

    private Eligible check(ResolvedRule resolved, RoutingProfile profile, DeckInfo sellDeck, Rate sellRate, String callee,
            int[] matched, int matchCount, long t, List<SkippedVendor> skipped, List<String> trace, RegisteredContacts registered) {
        RoutingRule rule = resolved.rule();
        Vendor vendor = resolved.vendor();
        if (!rule.enabled()) {
            skip(skipped, trace, rule, vendor, rule.gatewayId(), SkipReason.DISABLED, "the routing rule is disabled", null);
            return null;
        }
        if (!vendor.active()) {
            skip(skipped, trace, rule, vendor, rule.gatewayId(), SkipReason.DISABLED, "the vendor account is not active", null);
            return null;
        }
        DeckInfo buyDeck = resolved.buyDeck();
        if (buyDeck == null) {
            skip(skipped, trace, rule, vendor, rule.gatewayId(), SkipReason.NO_RATE, "the vendor has no buy deck", null);
            return null;
        }
        if (!buyDeck.currency().equals(sellDeck.currency())) {
            skip(skipped, trace, rule, vendor, rule.gatewayId(), SkipReason.CURRENCY_MISMATCH, "buy deck in "
                    + buyDeck.currency() + ", sell deck in " + sellDeck.currency(), null);
            return null;
        }
        long entry = findEntry(buyDeck.index(), matched, matchCount, t);
        if (entry < 0) {
            skip(skipped, trace, rule, vendor, rule.gatewayId(), SkipReason.NO_RATE, "no buy rate for the number", null);
            return null;
        }
        Rate buy = toRate(entry, callee);
        if (buy.blocked()) {
            skip(skipped, trace, rule, vendor, rule.gatewayId(), SkipReason.BLOCKED, "the vendor blocks " + buy.prefix(), buy);
            return null;
        }
        long buyMicros = buy.ratePerMinuteMicros();
        if (rule.rateCeilingMicros() != null && buyMicros > rule.rateCeilingMicros()) {
            skip(skipped, trace, rule, vendor, rule.gatewayId(), SkipReason.ABOVE_RATE_CEILING, "buy rate "
                    + buy.ratePerMinute() + " is above the ceiling " + Micros.toDecimal(rule.rateCeilingMicros()), buy);
            return null;
        }
        long sellMicros = sellRate.ratePerMinuteMicros();
        if (!profile.allowLoss()) {
            if (buyMicros > sellMicros) {
                skip(skipped, trace, rule, vendor, rule.gatewayId(), SkipReason.ABOVE_SELL_RATE, "buy rate "
                        + buy.ratePerMinute() + " is above the sell rate " + sellRate.ratePerMinute(), buy);
                return null;
            }
            long margin = sellMicros - buyMicros;
            if (margin < profile.minMarginMicros()) {
                skip(skipped, trace, rule, vendor, rule.gatewayId(), SkipReason.BELOW_MIN_MARGIN, "margin "
                        + Micros.toDecimal(margin) + " is below the minimum " + Micros.toDecimal(profile.minMarginMicros()), buy);
                return null;
            }
            BigDecimal percent = profile.minMarginPercent();
            if (percent != null && percent.signum() > 0
                    && Micros.toDecimal(margin).multiply(HUNDRED).compareTo(Micros.toDecimal(sellMicros).multiply(percent)) < 0) {
                skip(skipped, trace, rule, vendor, rule.gatewayId(), SkipReason.BELOW_MIN_MARGIN, "margin "
                        + Micros.toDecimal(margin) + " is below " + percent.stripTrailingZeros().toPlainString()
                        + "% of the sell rate", buy);
                return null;
            }
        }
        List<Gateway> usable = new ArrayList<>(2);
        if (rule.gatewayId() != null) {
            Gateway gateway = resolved.gateway();
            if (gateway == null || gateway.vendorAccountId() != vendor.accountId()) {
                skip(skipped, trace, rule, vendor, rule.gatewayId(), SkipReason.NO_GATEWAY,
                        "gateway " + rule.gatewayId() + " does not belong to the vendor", buy);
                return null;
            }
            if (!gateway.enabled()) {
                skip(skipped, trace, rule, vendor, gateway.id(), SkipReason.DISABLED, "gateway " + gateway.name() + " is disabled", buy);
                return null;
            }
            if (!reachable(gateway, registered)) {
                skip(skipped, trace, rule, vendor, gateway.id(), SkipReason.NOT_REGISTERED, notRegistered(gateway), buy);
                return null;
            }
            usable.add(gateway);
        } else {
            boolean unregistered = false;
            for (Gateway gateway : resolved.vendorGateways()) {
                if (gateway.enabled() && !reachable(gateway, registered)) {
                    skip(skipped, trace, rule, vendor, gateway.id(), SkipReason.NOT_REGISTERED, notRegistered(gateway), buy);
                    unregistered = true;
                } else if (gateway.enabled()) {
                    usable.add(gateway);
                } else {
                    skip(skipped, trace, rule, vendor, gateway.id(), SkipReason.DISABLED, "gateway " + gateway.name() + " is disabled", buy);
                }
            }
            if (usable.isEmpty()) {
                if (!unregistered) {
                    skip(skipped, trace, rule, vendor, null, SkipReason.NO_GATEWAY, "the vendor has no enabled gateway", buy);
                }
                return null;
            }
        }
        return new Eligible(rule, vendor, buy, usable);
    }

    /** A gateway at a host is always reachable; one to a registered contact only while the trunk has one. */
    private static boolean reachable(Gateway gateway, RegisteredContacts registered) {
        return !gateway.reachesRegisteredContact() || registered.registered(gateway.registeredTrunkId());
    }

    private String notRegistered(Gateway gateway) {
        Trunk trunk = trunks.get(gateway.registeredTrunkId());
        return "gateway " + gateway.name() + " reaches the registered contact of trunk "
                + (trunk == null ? "id " + gateway.registeredTrunkId() : trunk.name()) + ", which has none now";
    }

    private static final Comparator<Eligible> LCR_ORDER = Comparator.<Eligible>comparingLong(e -> e.rate.ratePerMinuteMicros())
            .thenComparingInt(e -> e.rule.priority())
            .thenComparingLong(e -> e.vendor.accountId())
            .thenComparingLong(e -> e.rule.id());
    private static final Comparator<Eligible> PRIORITY_ORDER = Comparator.<Eligible>comparingInt(e -> e.rule.priority())
            .thenComparingLong(e -> e.rule.id());
    private static final Comparator<Eligible> QUALITY_ORDER = Comparator.<Eligible>comparingDouble(e -> -e.score).thenComparing(LCR_ORDER);

    private static void order(List<Eligible> eligible, Strategy strategy, RouteOptions options) {
        switch (strategy) {
            case LCR -> eligible.sort(LCR_ORDER);
            case PRIORITY -> eligible.sort(PRIORITY_ORDER);
            case QUALITY -> {
                VendorQuality quality = options.quality();
                for (Eligible e : eligible) {
                    e.score = quality.score(e.vendor.accountId(), e.gateways.get(0).id(), e.rate.prefix());
                }
                eligible.sort(QUALITY_ORDER);
            }
            case WEIGHTED -> weightedOrder(eligible, options.random());
        }
    }

    /**
     * Draws the order without replacement, each pick proportional to the remaining weights, so the
     * first choice follows the configured split. Weight-0 rules go last, by priority: failover only.
     */
    private static void weightedOrder(List<Eligible> eligible, RandomGenerator random) {
        eligible.sort(PRIORITY_ORDER);
        List<Eligible> pool = new ArrayList<>(eligible.size());
        List<Eligible> zero = new ArrayList<>();
        long total = 0;
        for (Eligible e : eligible) {
            if (e.rule.weight() > 0) {
                pool.add(e);
                total += e.rule.weight();
            } else {
                zero.add(e);
            }
        }
        eligible.clear();
        while (!pool.isEmpty()) {
            long pick = random.nextLong(total);
            int i = 0;
            while (pick >= pool.get(i).rule.weight()) {
                pick -= pool.get(i).rule.weight();
                i++;
            }
            Eligible chosen = pool.remove(i);
            total -= chosen.rule.weight();
            eligible.add(chosen);
        }
        eligible.addAll(zero);
    }

    /** The entry in force at {@code t} for the deck, as {@code prefixId << 32 | entry}, or -1. */
    private long findEntry(int deckIndex, int[] matched, int count, long t) {
        for (int m = 0; m < count; m++) {
            int prefixId = matched[m];
            int lo = entryStart[prefixId];
            int hi = entryStart[prefixId + 1];
            // first entry of the deck within the prefix's group (sorted by deck, then start)
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (entryDeck[mid] < deckIndex) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            int end = entryStart[prefixId + 1];
            for (int e = lo; e < end && entryDeck[e] == deckIndex; e++) {
                int at = e * STRIDE;
                if (entryData[at] <= t && t < entryData[at + 1]) {
                    return (long) prefixId << 32 | e;
                }
            }
        }
        return -1;
    }

    /** The rate of a {@link #findEntry} result; its prefix is the start of the number that matched it. */
    private Rate toRate(long found, String number) {
        int entry = (int) found;
        int at = entry * STRIDE;
        long increments = entryData[at + 4];
        long destination = entryData[at + 5];
        return new Rate(deckIds[entryDeck[entry]], number.substring(0, trie.prefixLength((int) (found >>> 32))),
                destinations[(int) ((destination & ((1L << GRACE_SHIFT) - 1)) >>> 1)],
                entryData[at + 2], entryData[at + 3], (int) (increments >>> 32), (int) increments,
                Instant.ofEpochMilli(entryData[at]),
                entryData[at + 1] == OPEN_ENDED ? null : Instant.ofEpochMilli(entryData[at + 1]), (destination & 1) != 0,
                (int) (destination >>> GRACE_SHIFT));
    }

    private static boolean isDigits(String number) {
        if (number.isEmpty()) {
            return false;
        }
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String describe(Rate rate) {
        return rate.ratePerMinute().toPlainString() + "/min, connect " + rate.connectFee().toPlainString()
                + ", " + rate.increments() + (rate.destination().isEmpty() ? "" : " (" + rate.destination() + ")");
    }


    private static void skip(List<SkippedVendor> skipped, List<String> trace, RoutingRule rule, Vendor vendor,
            Long gatewayId, SkipReason reason, String detail, Rate buy) {
        skipped.add(new SkippedVendor(vendor.accountId(), vendor.name(), gatewayId, rule.id(), reason, detail, buy));
        if (trace != null) {
            trace.add("skipped " + vendor.name() + (gatewayId == null ? "" : " gateway " + gatewayId) + ": "
                    + reason + " (" + detail + ")");
        }
    }

    private static NoRoute noRoute(NoRouteReason reason, String detail, long trunkId, String callee, String caller,
            Rate sellRate, List<SkippedVendor> skipped, List<String> trace) {
        if (trace != null) {
            trace.add("no route: " + reason + " (" + detail + ")");
        }
        return new NoRoute(reason, detail, trunkId, callee, caller, sellRate, skipped, trace == null ? List.of() : trace);
    }

    private static final class Eligible {
        final RoutingRule rule;
        final Vendor vendor;
        final Rate rate;
        final List<Gateway> gateways;
        double score;

        Eligible(RoutingRule rule, Vendor vendor, Rate rate, List<Gateway> gateways) {
            this.rule = rule;
            this.vendor = vendor;
            this.rate = rate;
            this.gateways = gateways;
        }
    }

    /** A deck's identity in the table; {@code index} is its position in the entry columns. */
    record DeckInfo(long deckId, int index, long accountId, DeckDirection direction, String currency) {
    }

    /** A rule with what it refers to, looked up once per snapshot. */
    private record ResolvedRule(RoutingRule rule, Vendor vendor, DeckInfo buyDeck, Gateway gateway, List<Gateway> vendorGateways) {
    }

    /** A profile's rules grouped by prefix; the longest prefix matching the number applies. */
    private static final class ProfileIndex {
        final RoutingProfile profile;
        final PrefixTrie trie;
        final List<List<ResolvedRule>> groups;
        final String overMaxAttempts;

        private ProfileIndex(RoutingProfile profile, PrefixTrie trie, List<List<ResolvedRule>> groups) {
            this.profile = profile;
            this.trie = trie;
            this.groups = groups;
            this.overMaxAttempts = "the profile tries at most " + profile.maxAttempts() + " gateways";
        }

        static ProfileIndex of(RoutingProfile profile, java.util.function.Function<RoutingRule, ResolvedRule> resolver) {
            PrefixTrie.Builder builder = PrefixTrie.builder(profile.rules().size() + 1);
            List<List<ResolvedRule>> groups = new ArrayList<>();
            List<RoutingRule> sorted = new ArrayList<>(profile.rules());
            sorted.sort(Comparator.comparingLong(RoutingRule::id));
            for (RoutingRule rule : sorted) {
                int id = builder.add(rule.prefix());
                if (id == groups.size()) {
                    groups.add(new ArrayList<>());
                }
                groups.get(id).add(resolver.apply(rule));
            }
            groups.replaceAll(List::copyOf);
            return new ProfileIndex(profile, builder.build(), List.copyOf(groups));
        }

        List<ResolvedRule> rulesFor(String number) {
            int id = trie.longestMatch(number);
            return id < 0 ? List.of() : groups.get(id);
        }
    }

    private record BlockIndex(PrefixTrie trie, BlockedDestination[] byId) {

        static BlockIndex of(List<BlockedDestination> list) {
            PrefixTrie.Builder builder = PrefixTrie.builder(list.size());
            BlockedDestination[] byId = new BlockedDestination[list.size()];
            for (BlockedDestination block : list) {
                byId[builder.add(block.prefix())] = block;
            }
            return new BlockIndex(builder.build(), byId);
        }

        BlockedDestination match(String number) {
            int id = trie.longestMatch(number);
            return id < 0 ? null : byId[id];
        }
    }

    /**
     * Collects a snapshot's contents. Declare a deck before adding its rates. Rates go into
     * growable primitive columns, so a million rates cost no million objects. Not thread-safe.
     */
    public static final class Builder {

        private final long version;
        private final PrefixTrie.Builder trieBuilder = PrefixTrie.builder();
        private final Map<Long, DeckInfo> decks = new HashMap<>();
        private final List<DeckInfo> deckList = new ArrayList<>();
        private final Map<Long, Trunk> trunks = new HashMap<>();
        private final Map<Long, Vendor> vendors = new HashMap<>();
        private final Map<Long, Gateway> gateways = new HashMap<>();
        private final Map<Long, RoutingProfile> profiles = new HashMap<>();
        private final List<BlockedDestination> blockedList = new ArrayList<>();
        private final Map<String, Integer> destinationIndex = new HashMap<>();
        private final List<String> destinationList = new ArrayList<>();
        private int size;
        private int[] prefixId = new int[1024];
        private int[] deck = new int[1024];
        private long[] rate = new long[1024];
        private long[] connectFee = new long[1024];
        private int[] initial = new int[1024];
        private int[] next = new int[1024];
        private long[] from = new long[1024];
        private long[] until = new long[1024];
        private int[] destination = new int[1024];
        private boolean[] blocked = new boolean[1024];
        private short[] grace = new short[1024];

        private Builder(long version) {
            this.version = version;
        }

        public Builder deck(long deckId, long accountId, DeckDirection direction, String currency) {
            if (!decks.containsKey(deckId)) {
                DeckInfo info = new DeckInfo(deckId, deckList.size(), accountId, direction, currency);
                decks.put(deckId, info);
                deckList.add(info);
            }
            return this;
        }

        /**
         * Adds one rate period of a declared deck.
         *
         * @param fromMillis  start, inclusive, epoch milliseconds
         * @param untilMillis end, exclusive, or {@link #OPEN_ENDED}
         */
        public Builder rate(long deckId, String prefix, String destinationName, long rateMicros, long connectFeeMicros,
                int initialIncrement, int nextIncrement, long fromMillis, long untilMillis, boolean isBlocked) {
            return rate(deckId, prefix, destinationName, rateMicros, connectFeeMicros, initialIncrement, nextIncrement,
                    fromMillis, untilMillis, isBlocked, 0);
        }

        /**
         * Adds one rate period of a declared deck with its grace period: answered calls that last at
         * most {@code graceSeconds} are free (0 to {@link #MAX_GRACE_SECONDS}).
         */
        public Builder rate(long deckId, String prefix, String destinationName, long rateMicros, long connectFeeMicros,
                int initialIncrement, int nextIncrement, long fromMillis, long untilMillis, boolean isBlocked, int graceSeconds) {
            if (graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
                throw new IllegalArgumentException("grace seconds out of range: " + graceSeconds);
            }
            DeckInfo info = decks.get(deckId);
            if (info == null) {
                throw new IllegalArgumentException("Rate for undeclared deck " + deckId);
            }
            if (size == deck.length) {
                grow();
            }
            prefixId[size] = trieBuilder.add(prefix);
            deck[size] = info.index();
            rate[size] = rateMicros;
            connectFee[size] = connectFeeMicros;
            initial[size] = initialIncrement;
            next[size] = nextIncrement;
            from[size] = fromMillis;
            until[size] = untilMillis;
            String name = destinationName == null ? "" : destinationName;
            Integer index = destinationIndex.get(name);
            if (index == null) {
                index = destinationList.size();
                destinationIndex.put(name, index);
                destinationList.add(name);
            }
            destination[size] = index;
            blocked[size] = isBlocked;
            grace[size] = (short) graceSeconds;
            size++;
            return this;
        }

        public Builder rate(Rate r) {
            return rate(r.deckId(), r.prefix(), r.destination(), r.ratePerMinuteMicros(), r.connectFeeMicros(),
                    r.initialIncrement(), r.nextIncrement(), r.effectiveFrom().toEpochMilli(),
                    r.effectiveUntil() == null ? OPEN_ENDED : r.effectiveUntil().toEpochMilli(), r.blocked(), r.graceSeconds());
        }

        public Builder trunk(Trunk trunk) {
            trunks.put(trunk.id(), Objects.requireNonNull(trunk));
            return this;
        }

        public Builder vendor(Vendor vendor) {
            vendors.put(vendor.accountId(), Objects.requireNonNull(vendor));
            return this;
        }

        public Builder gateway(Gateway gateway) {
            gateways.put(gateway.id(), Objects.requireNonNull(gateway));
            return this;
        }

        public Builder profile(RoutingProfile profile) {
            profiles.put(profile.id(), Objects.requireNonNull(profile));
            return this;
        }

        public Builder blocked(BlockedDestination block) {
            blockedList.add(Objects.requireNonNull(block));
            return this;
        }

        private void grow() {
            int capacity = deck.length * 2;
            prefixId = Arrays.copyOf(prefixId, capacity);
            deck = Arrays.copyOf(deck, capacity);
            rate = Arrays.copyOf(rate, capacity);
            connectFee = Arrays.copyOf(connectFee, capacity);
            initial = Arrays.copyOf(initial, capacity);
            next = Arrays.copyOf(next, capacity);
            from = Arrays.copyOf(from, capacity);
            until = Arrays.copyOf(until, capacity);
            destination = Arrays.copyOf(destination, capacity);
            blocked = Arrays.copyOf(blocked, capacity);
            grace = Arrays.copyOf(grace, capacity);
        }

        public RouteTable build() {
            PrefixTrie trie = trieBuilder.build();
            int prefixes = trie.size();
            // counting sort of entries by prefix id, then each (small) group by deck and start
            int[] start = new int[prefixes + 1];
            for (int i = 0; i < size; i++) {
                start[prefixId[i] + 1]++;
            }
            for (int p = 0; p < prefixes; p++) {
                start[p + 1] += start[p];
            }
            int[] fill = Arrays.copyOf(start, prefixes);
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[fill[prefixId[i]]++] = i;
            }
            for (int p = 0; p < prefixes; p++) {
                sortGroup(order, start[p], start[p + 1]);
            }
            return new RouteTable(this, trie, start, order);
        }

        private void sortGroup(int[] order, int lo, int hi) {
            for (int i = lo + 1; i < hi; i++) {
                int item = order[i];
                int j = i - 1;
                while (j >= lo && after(order[j], item)) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = item;
            }
        }

        private boolean after(int a, int b) {
            if (deck[a] != deck[b]) {
                return deck[a] > deck[b];
            }
            return from[a] > from[b];
        }
    }
}
