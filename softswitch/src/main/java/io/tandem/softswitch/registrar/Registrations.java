package io.tandem.softswitch.registrar;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's bindings as this node knows them: its own (REGISTERs it received) and its peers'
 * (from their {@link ClusterEvent}s). One state machine per binding key (AOR, contact):
 *
 * <pre>
 * state     event                                       next      emits (own changes only)
 * absent    REGISTER expires &gt; 0 (§10.3 step 7)          bound     register
 * bound     REGISTER expires &gt; 0, newer CSeq or Call-ID   bound     refresh
 * bound     REGISTER expires 0, or Contact: * (§10.2.2)    removed   unregister
 * bound     same Call-ID, CSeq not higher (§10.3 step 7)  bound     nothing; the REGISTER fails (500)
 * bound     expiry time reached (sweep)                  removed   expire
 * any       peer event with a version above the known one  as the event says
 * any       peer event with a version not above it        unchanged (idempotent, order-proof)
 * removed   (tombstone kept max-expires, so a late older register cannot revive it)  absent
 * </pre>
 *
 * <p>Threading: every method except {@link #trunkOf}, {@link #isRegistered}, {@link #bindingsOf} and
 * {@link #size} runs on the one executor that owns the table (the registrar's event loop); those read
 * concurrent indexes from any thread (they run per INVITE and per packet).
 *
 * <p>Memory is bounded: at most {@link RegistrarSettings#maxBindings()} bindings and as many
 * tombstones, at most {@link RegistrarSettings#maxContactsPerTrunk()} per trunk, strings capped by the
 * {@link RegistrarSettings} constants. Expiry uses one-second buckets ({@code TreeMap}), so a sweep
 * touches only what is due.
 */
public final class Registrations {

    /**
     * A REGISTER, parsed and authenticated ({@link Registrar}).
     *
     * @param removeAll {@code Contact: *} with {@code Expires: 0}
     */
    public record Request(String aor, long trunkId, InetSocketAddress source, String transport, String callId, long cseq,
                          boolean removeAll, List<ContactAsk> contacts) {
    }

    /** One Contact of a REGISTER with the interval granted (0 removes it) and its {@code q} in thousandths. */
    public record ContactAsk(String contact, long expiresSeconds, int q) {
        public ContactAsk(String contact, long expiresSeconds) {
            this(contact, expiresSeconds, Binding.DEFAULT_Q);
        }
    }

    /** What a REGISTER did. */
    public sealed interface Outcome {
        /** Done: the AOR's bindings now (for the 200) and the changes to tell the peers. */
        record Accepted(List<Binding> current, List<ClusterEvent> changes) implements Outcome {
        }

        record Refused(RegisterRejection rejection) implements Outcome {
        }
    }

    private record SourceUse(long trunkId, int bindings) {
    }

    private record Tombstone(long version, long untilMillis) {
    }

    private final RegistrarSettings settings;
    private final Map<String, Map<String, Binding>> byAor = new HashMap<>();
    private final Map<Long, Integer> perTrunk = new HashMap<>();
    private final ConcurrentHashMap<InetAddress, SourceUse> bySource = new ConcurrentHashMap<>();
    /** Per trunk, its bindings (at most max-contacts-per-trunk), for calls to its registered contact from any thread. */
    private final ConcurrentHashMap<Long, List<Binding>> byTrunk = new ConcurrentHashMap<>();
    /** Expiry second (rounded up) to the keys due then. */
    private final TreeMap<Long, Set<Binding.Key>> expiryBuckets = new TreeMap<>();
    /** Insertion order is expiry order: every tombstone lives max-expires from its creation. */
    private final LinkedHashMap<Binding.Key, Tombstone> tombstones;
    private volatile int size;
    private volatile int own;
    private long lastVersion;

    public Registrations(RegistrarSettings settings) {
        this.settings = settings;
        int cap = settings.maxBindings();
        this.tombstones = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Binding.Key, Tombstone> eldest) {
                return size() > cap;
            }
        };
    }

    // ------------------------------------------------------------------ any thread

    /** The trunk a registered contact's source address identifies, from any thread. */
    public OptionalLong trunkOf(InetAddress source) {
        SourceUse use = bySource.get(source);
        return use == null ? OptionalLong.empty() : OptionalLong.of(use.trunkId());
    }

    public boolean isRegistered(InetAddress source) {
        return bySource.containsKey(source);
    }

    /** The trunk's bindings, own and peers', from any thread (an immutable list). */
    public List<Binding> bindingsOf(long trunkId) {
        return byTrunk.getOrDefault(trunkId, List.of());
    }

    /** Bindings known now (own and peers'). */
    public int size() {
        return size;
    }

    /** Bindings this node holds the flow of. */
    public int ownSize() {
        return own;
    }

    // ------------------------------------------------------------------ the owning executor

    /** RFC 3261 §10.3 steps 6-8 for an authenticated REGISTER. */
    public Outcome register(Request request, long nowMillis) {
        Map<String, Binding> current = byAor.getOrDefault(request.aor(), Map.of());
        List<Binding> touched = new ArrayList<>();
        if (request.removeAll()) {
            touched.addAll(current.values());
        } else {
            for (ContactAsk ask : request.contacts()) {
                Binding existing = current.get(ask.contact());
                if (existing != null) {
                    touched.add(existing);
                }
            }
        }
        for (Binding existing : touched) {
            // §10.3 step 7: same Call-ID and a CSeq not above the binding's is an old or replayed request.
            if (existing.callId().equals(request.callId()) && request.cseq() <= existing.cseq()) {
                return new Outcome.Refused(RegisterRejection.OUT_OF_ORDER);
            }
        }
        int added = 0;
        for (ContactAsk ask : request.contacts()) {
            if (ask.expiresSeconds() > 0 && !current.containsKey(ask.contact())) {
                added++;
            }
        }
        if (added > 0) {
            SourceUse use = bySource.get(request.source().getAddress());
            if (use != null && use.trunkId() != request.trunkId()) {
                // One address identifies one trunk, as a CIDR does; a second trunk there would make calls ambiguous.
                return new Outcome.Refused(RegisterRejection.SOURCE_OF_ANOTHER_TRUNK);
            }
            if (perTrunk.getOrDefault(request.trunkId(), 0) + added > settings.maxContactsPerTrunk()) {
                return new Outcome.Refused(RegisterRejection.TRUNK_FULL);
            }
            if (size + added > settings.maxBindings()) {
                return new Outcome.Refused(RegisterRejection.TABLE_FULL);
            }
        }
        List<ClusterEvent> changes = new ArrayList<>();
        if (request.removeAll()) {
            for (Binding existing : touched) {
                changes.add(remove(existing, ClusterEvent.Kind.UNREGISTER, nowMillis));
            }
        } else {
            for (ContactAsk ask : request.contacts()) {
                Binding existing = byAor.getOrDefault(request.aor(), Map.of()).get(ask.contact());
                if (ask.expiresSeconds() == 0) {
                    if (existing != null) {
                        changes.add(remove(existing, ClusterEvent.Kind.UNREGISTER, nowMillis));
                    }
                    continue;
                }
                Binding binding = new Binding(request.aor(), request.trunkId(), ask.contact(), request.source(), request.transport(),
                        nowMillis + ask.expiresSeconds() * 1000, request.callId(), request.cseq(), nextVersion(nowMillis),
                        settings.nodeId(), ask.q());
                if (existing != null) {
                    unbind(existing);
                }
                put(binding);
                tombstones.remove(binding.key());
                changes.add(new ClusterEvent(existing == null ? ClusterEvent.Kind.REGISTER : ClusterEvent.Kind.REFRESH, binding));
            }
        }
        return new Outcome.Accepted(bindings(request.aor()), List.copyOf(changes));
    }

    /**
     * A peer's change (or a resync entry). Applied only when its version is above what this node knows
     * of the binding, so duplicates, reordering and replays of old state change nothing.
     *
     * @return whether anything changed
     */
    public boolean apply(ClusterEvent event, long nowMillis) {
        Binding binding = event.binding();
        lastVersion = Math.max(lastVersion, binding.version());
        Binding.Key key = binding.key();
        Binding existing = byAor.getOrDefault(binding.aor(), Map.of()).get(binding.contact());
        Tombstone tombstone = tombstones.get(key);
        if (event.kind().removes()) {
            if (existing != null && existing.version() > binding.version()) {
                return false;
            }
            if (existing != null) {
                unbind(existing);
            }
            if (tombstone == null || tombstone.version() < binding.version()) {
                tombstones.remove(key);
                tombstones.put(key, new Tombstone(binding.version(), nowMillis + settings.maxExpires().toMillis()));
            }
            return existing != null;
        }
        if (binding.expiresAtMillis() <= nowMillis
                || existing != null && existing.version() >= binding.version()
                || tombstone != null && tombstone.version() >= binding.version()) {
            return false;
        }
        if (existing == null && size >= settings.maxBindings()) {
            return false;
        }
        if (existing != null) {
            unbind(existing);
        }
        put(binding);
        return true;
    }

    /**
     * Removes what expired by {@code nowMillis}.
     *
     * @return the expiry events of this node's own bindings (peers expire theirs on their own)
     */
    public List<ClusterEvent> sweep(long nowMillis) {
        List<ClusterEvent> expired = new ArrayList<>();
        while (!expiryBuckets.isEmpty() && expiryBuckets.firstKey() * 1000 <= nowMillis) {
            Set<Binding.Key> due = expiryBuckets.pollFirstEntry().getValue();
            for (Binding.Key key : due) {
                Binding binding = byAor.getOrDefault(key.aor(), Map.of()).get(key.contact());
                if (binding == null) {
                    continue;
                }
                ClusterEvent event = remove(binding, ClusterEvent.Kind.EXPIRE, nowMillis);
                if (binding.node().equals(settings.nodeId())) {
                    expired.add(event);
                }
            }
        }
        Iterator<Tombstone> oldest = tombstones.values().iterator();
        while (oldest.hasNext() && oldest.next().untilMillis() <= nowMillis) {
            oldest.remove();
        }
        return expired;
    }

    /** The AOR's bindings, oldest contact first. */
    public List<Binding> bindings(String aor) {
        Map<String, Binding> contacts = byAor.get(aor);
        return contacts == null ? List.of() : List.copyOf(contacts.values());
    }

    /** Every binding known (for a peer's resync and the console). */
    public List<Binding> all() {
        List<Binding> all = new ArrayList<>(size);
        byAor.values().forEach(contacts -> all.addAll(contacts.values()));
        return all;
    }

    // ------------------------------------------------------------------ internals

    /** Hybrid of wall clock and the highest version seen, so every change orders after what it replaces. */
    private long nextVersion(long nowMillis) {
        lastVersion = Math.max(nowMillis * 1000, lastVersion + 1);
        return lastVersion;
    }

    private ClusterEvent remove(Binding binding, ClusterEvent.Kind kind, long nowMillis) {
        unbind(binding);
        Binding removal = new Binding(binding.aor(), binding.trunkId(), binding.contact(), binding.source(), binding.transport(),
                binding.expiresAtMillis(), binding.callId(), binding.cseq(), nextVersion(nowMillis), binding.node(), binding.q());
        tombstones.remove(binding.key());
        tombstones.put(binding.key(), new Tombstone(removal.version(), nowMillis + settings.maxExpires().toMillis()));
        return new ClusterEvent(kind, removal);
    }

    private void put(Binding binding) {
        byAor.computeIfAbsent(binding.aor(), aor -> new LinkedHashMap<>(2)).put(binding.contact(), binding);
        expiryBuckets.computeIfAbsent(bucketOf(binding), second -> new HashSet<>(4)).add(binding.key());
        perTrunk.merge(binding.trunkId(), 1, Integer::sum);
        byTrunk.compute(binding.trunkId(), (trunk, list) -> {
            List<Binding> grown = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
            grown.add(binding);
            return List.copyOf(grown);
        });
        bySource.compute(binding.source().getAddress(), (address, use) -> use == null
                ? new SourceUse(binding.trunkId(), 1)
                : new SourceUse(use.trunkId(), use.bindings() + 1));
        size++;
        if (binding.node().equals(settings.nodeId())) {
            own++;
        }
    }

    private void unbind(Binding binding) {
        Map<String, Binding> contacts = byAor.get(binding.aor());
        if (contacts == null || contacts.remove(binding.contact()) == null) {
            return;
        }
        if (contacts.isEmpty()) {
            byAor.remove(binding.aor());
        }
        Long bucket = bucketOf(binding);
        Set<Binding.Key> due = expiryBuckets.get(bucket);
        if (due != null && due.remove(binding.key()) && due.isEmpty()) {
            expiryBuckets.remove(bucket);
        }
        perTrunk.computeIfPresent(binding.trunkId(), (trunk, count) -> count > 1 ? count - 1 : null);
        byTrunk.computeIfPresent(binding.trunkId(), (trunk, list) -> {
            List<Binding> shrunk = new ArrayList<>(list);
            shrunk.removeIf(b -> b.key().equals(binding.key()));
            return shrunk.isEmpty() ? null : List.copyOf(shrunk);
        });
        bySource.computeIfPresent(binding.source().getAddress(), (address, use) -> use.bindings() > 1
                ? new SourceUse(use.trunkId(), use.bindings() - 1)
                : null);
        size--;
        if (binding.node().equals(settings.nodeId())) {
            own--;
        }
    }

    private static long bucketOf(Binding binding) {
        return Math.floorDiv(binding.expiresAtMillis() + 999, 1000);
    }
}
