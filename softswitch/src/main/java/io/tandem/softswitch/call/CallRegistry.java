package io.tandem.softswitch.call;

import io.tandem.billing.cdr.HangupSide;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live calls of this node: by id (API, console) and by every Call-ID of their legs (in-dialog
 * requests, CANCEL, ACK, stray answers). Thread-safe; readers on other threads see only the
 * snapshots calls publish, and hang-ups are posted onto the call's own loop.
 */
final class CallRegistry {

    private final String nodeId;
    private final ConcurrentHashMap<UUID, Call> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Call> bySipCallId = new ConcurrentHashMap<>();
    private final List<CompletableFuture<Void>> emptyWaiters = new ArrayList<>();

    CallRegistry(String nodeId) {
        this.nodeId = nodeId;
    }

    /** False when another call already has this Call-ID (a merged request, RFC 3261 §8.2.2.2). */
    boolean register(Call call) {
        if (bySipCallId.putIfAbsent(call.facts().sipCallId(), call) != null) {
            return false;
        }
        byId.put(call.facts().id(), call);
        return true;
    }

    /** A B-leg's Call-ID, so that the vendor's in-dialog requests and stray answers find the call. */
    void alias(String sipCallId, Call call) {
        bySipCallId.put(sipCallId, call);
    }

    /** B-leg Call-IDs are ours and unique (a random UUID each), so the alias goes without asking whose it is. */
    void unalias(String sipCallId) {
        bySipCallId.remove(sipCallId);
    }

    Call bySipCallId(String sipCallId) {
        return bySipCallId.get(sipCallId);
    }

    /** The call is over: it goes from every map (its B-leg aliases are removed by its attempts). */
    void forget(Call call) {
        byId.remove(call.facts().id(), call);
        bySipCallId.remove(call.facts().sipCallId(), call);
        if (byId.isEmpty()) {
            List<CompletableFuture<Void>> done;
            synchronized (emptyWaiters) {
                done = List.copyOf(emptyWaiters);
                emptyWaiters.clear();
            }
            done.forEach(waiter -> waiter.complete(null));
        }
    }

    int count() {
        return byId.size();
    }

    List<ActiveCallView> list(Instant now) {
        List<ActiveCallView> views = new ArrayList<>(byId.size());
        for (Call call : byId.values()) {
            views.add(call.snapshot().view(nodeId, now));
        }
        return views;
    }

    boolean hangUp(UUID id, String why) {
        Call call = byId.get(id);
        if (call == null) {
            return false;
        }
        call.loop().execute(() -> call.terminate(HangupSide.SWITCH, why));
        return true;
    }

    void hangUpAll(String why) {
        for (Call call : byId.values()) {
            call.loop().execute(() -> call.terminate(HangupSide.SWITCH, why));
        }
    }

    /** Completes when no call is left (at once when there is none). */
    CompletableFuture<Void> whenEmpty() {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        synchronized (emptyWaiters) {
            emptyWaiters.add(waiter);
        }
        if (byId.isEmpty()) {
            synchronized (emptyWaiters) {
                emptyWaiters.remove(waiter);
            }
            waiter.complete(null);
        }
        return waiter;
    }
}
