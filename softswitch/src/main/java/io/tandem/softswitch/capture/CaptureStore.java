package io.tandem.softswitch.capture;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The finished calls a capture node keeps: one compressed blob ({@link CaptureCodec}) per call, in
 * the order they were stored. Bounded by {@link CaptureSettings#maxStoredBytes()} (the oldest calls
 * go first) and by {@link CaptureSettings#retention()} (older calls go at the next put, get or
 * {@link #expire}). Thread-safe; every operation is short (no compression under the lock).
 */
public final class CaptureStore {

    private record Stored(byte[] blob, long storedAtMillis) {
    }

    private final long maxBytes;
    private final long retentionMillis;
    private final LongSupplier nowMillis;
    private final LinkedHashMap<UUID, Stored> calls = new LinkedHashMap<>();
    private final LongAdder evicted = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private long bytes;

    public CaptureStore(CaptureSettings settings, LongSupplier nowMillis) {
        this.maxBytes = settings.maxStoredBytes();
        this.retentionMillis = settings.retention().toMillis();
        this.nowMillis = nowMillis;
    }

    /** Keeps a finished call's blob; a blob larger than the whole store is refused (returns false). */
    public synchronized boolean put(UUID callId, byte[] blob) {
        if (blob.length > maxBytes) {
            evicted.increment();
            return false;
        }
        expire();
        Stored previous = calls.remove(callId);
        if (previous != null) {
            bytes -= previous.blob().length;
        }
        calls.put(callId, new Stored(blob, nowMillis.getAsLong()));
        bytes += blob.length;
        Iterator<Map.Entry<UUID, Stored>> oldest = calls.entrySet().iterator();
        while (bytes > maxBytes && oldest.hasNext()) {
            bytes -= oldest.next().getValue().blob().length;
            oldest.remove();
            evicted.increment();
        }
        return true;
    }

    public synchronized Optional<byte[]> get(UUID callId) {
        expire();
        Stored s = calls.get(callId);
        return s == null ? Optional.empty() : Optional.of(s.blob());
    }

    /** Drops the calls stored longer ago than the retention. */
    public synchronized void expire() {
        long oldestKept = nowMillis.getAsLong() - retentionMillis;
        Iterator<Map.Entry<UUID, Stored>> it = calls.entrySet().iterator();
        while (it.hasNext()) {
            Stored s = it.next().getValue();
            if (s.storedAtMillis() > oldestKept) {
                return;
            }
            bytes -= s.blob().length;
            it.remove();
            expired.increment();
        }
    }

    public synchronized int calls() {
        return calls.size();
    }

    public synchronized long bytes() {
        return bytes;
    }

    /** Calls dropped to stay under the byte cap. */
    public long evicted() {
        return evicted.sum();
    }

    /** Calls dropped for age. */
    public long expired() {
        return expired.sum();
    }
}
