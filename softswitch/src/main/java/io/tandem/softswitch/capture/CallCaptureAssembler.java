package io.tandem.softswitch.capture;

import io.tandem.softswitch.call.CallEvent;
import io.tandem.softswitch.sip.transport.WireMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Puts captured messages together into calls. A message joins the call that owns its Call-ID: the
 * customer leg's ({@link CallEvent.Started}) or a vendor attempt's ({@link CallEvent.AttemptStarted}).
 * A message that arrives before its call claims the Call-ID (the customer's INVITE is read before the
 * call is admitted) waits {@link CaptureSettings#UNCLAIMED_WAIT}; unclaimed ones (OPTIONS pings,
 * refused strangers) are then dropped. {@link CaptureSettings#linger()} after a call ends it is
 * handed to {@code finished} and forgotten here.
 *
 * <p>Caps, all dropping the oldest first: per call (messages and octets), and over all live calls
 * (octets; the oldest message of the call that has held messages longest goes). The calls holding
 * messages wait in that order in one queue, so making room costs the same however many calls the cap
 * has already emptied (a node past its live cap under overload keeps thousands of them). A call
 * emptied by the cap that captures again joins the back of that queue. Thread-safe by one lock: the
 * capture thread feeds it, a console request reads a live call now and then.
 */
public final class CallCaptureAssembler {

    private static final class LiveCall {
        final UUID id;
        final List<CaptureLeg> legs = new ArrayList<>(3);
        final ArrayDeque<WireMessage> messages = new ArrayDeque<>();
        long bytes;
        int dropped;
        long endedAtMillis = -1;
        /** In {@link #holding}: it held a message when it last joined, and has not been emptied or finished since. */
        boolean holding;
        boolean finished;

        LiveCall(UUID id) {
            this.id = id;
        }
    }

    private record Unclaimed(long firstSeenMillis, ArrayDeque<WireMessage> messages) {
    }

    private final CaptureSettings settings;
    private final LongSupplier nowMillis;
    private final Consumer<CallCapture> finished;
    private final LinkedHashMap<UUID, LiveCall> live = new LinkedHashMap<>();
    private final HashMap<String, LiveCall> bySipCallId = new HashMap<>();
    /** Calls holding messages, longest-holding first: where the live cap takes its octets from. */
    private final ArrayDeque<LiveCall> holding = new ArrayDeque<>();
    private final LinkedHashMap<String, Unclaimed> unclaimed = new LinkedHashMap<>();
    private long liveBytes;
    private long droppedByCaps;
    private long droppedUnclaimed;

    public CallCaptureAssembler(CaptureSettings settings, LongSupplier nowMillis, Consumer<CallCapture> finished) {
        this.settings = settings;
        this.nowMillis = nowMillis;
        this.finished = finished;
    }

    public synchronized void accept(WireMessage m) {
        LiveCall call = bySipCallId.get(m.sipCallId());
        if (call != null) {
            add(call, m);
            return;
        }
        Unclaimed waiting = unclaimed.get(m.sipCallId());
        if (waiting == null) {
            if (unclaimed.size() >= CaptureSettings.MAX_UNCLAIMED_CALL_IDS) {
                droppedUnclaimed++;
                return;
            }
            waiting = new Unclaimed(nowMillis.getAsLong(), new ArrayDeque<>(2));
            unclaimed.put(m.sipCallId(), waiting);
        }
        if (waiting.messages().size() >= CaptureSettings.MAX_UNCLAIMED_MESSAGES) {
            waiting.messages().removeFirst();
            droppedUnclaimed++;
        }
        waiting.messages().addLast(m);
    }

    public synchronized void on(CallEvent event) {
        switch (event) {
            case CallEvent.Started s -> claim(call(s.callId()), new CaptureLeg(s.facts().sipCallId(), 0, 0));
            case CallEvent.AttemptStarted a -> claim(call(a.callId()), new CaptureLeg(a.sipCallId(), a.attempt(), a.gatewayId()));
            case CallEvent.Ended e -> call(e.callId()).endedAtMillis = nowMillis.getAsLong();
            case CallEvent.StateChanged changed -> {
                // the ladder shows states through the messages themselves
            }
        }
    }

    /** Finishes the calls whose linger is over and drops unclaimed messages that waited too long. */
    public synchronized void tick() {
        long now = nowMillis.getAsLong();
        long lingerMillis = settings.linger().toMillis();
        List<LiveCall> done = new ArrayList<>();
        for (LiveCall call : live.values()) {
            if (call.endedAtMillis >= 0 && now - call.endedAtMillis >= lingerMillis) {
                done.add(call);
            }
        }
        for (LiveCall call : done) {
            live.remove(call.id);
            for (CaptureLeg leg : call.legs) {
                bySipCallId.remove(leg.sipCallId(), call);
            }
            liveBytes -= call.bytes;
            call.finished = true;
            finished.accept(snapshot(call, false));
        }
        if (!done.isEmpty()) {
            holding.removeIf(call -> call.finished);
        }
        long oldestKept = now - CaptureSettings.UNCLAIMED_WAIT.toMillis();
        Iterator<Unclaimed> it = unclaimed.values().iterator();
        while (it.hasNext()) {
            Unclaimed u = it.next();
            if (u.firstSeenMillis() > oldestKept) {
                break;
            }
            droppedUnclaimed += u.messages().size();
            it.remove();
        }
    }

    /** A call still held here (in progress or lingering), as captured so far. */
    public synchronized Optional<CallCapture> find(UUID callId) {
        LiveCall call = live.get(callId);
        return call == null ? Optional.empty() : Optional.of(snapshot(call, true));
    }

    public synchronized int liveCalls() {
        return live.size();
    }

    public synchronized long liveBytes() {
        return liveBytes;
    }

    /** Messages dropped by the per-call and live caps. */
    public synchronized long droppedByCaps() {
        return droppedByCaps;
    }

    /** Messages no call claimed in time (not part of a call, or the call was refused before admission). */
    public synchronized long droppedUnclaimed() {
        return droppedUnclaimed;
    }

    private LiveCall call(UUID id) {
        return live.computeIfAbsent(id, LiveCall::new);
    }

    private void claim(LiveCall call, CaptureLeg leg) {
        call.legs.add(leg);
        bySipCallId.put(leg.sipCallId(), call);
        Unclaimed waiting = unclaimed.remove(leg.sipCallId());
        if (waiting != null) {
            waiting.messages().forEach(m -> add(call, m));
        }
    }

    private void add(LiveCall call, WireMessage m) {
        call.messages.addLast(m);
        call.bytes += m.octets().length;
        liveBytes += m.octets().length;
        if (!call.holding) {
            call.holding = true;
            holding.addLast(call);
        }
        while (!call.messages.isEmpty()
            && (call.messages.size() > settings.maxMessagesPerCall() || call.bytes > settings.maxBytesPerCall())) {
            dropOldest(call);
        }
        while (liveBytes > settings.maxLiveBytes()) {
            LiveCall oldest = holding.peekFirst();
            if (!oldest.messages.isEmpty()) {
                dropOldest(oldest);
            }
            if (oldest.messages.isEmpty()) {
                holding.pollFirst();
                oldest.holding = false;
            }
        }
    }

    private void dropOldest(LiveCall call) {
        WireMessage gone = call.messages.removeFirst();
        call.bytes -= gone.octets().length;
        liveBytes -= gone.octets().length;
        call.dropped++;
        droppedByCaps++;
    }

    private static CallCapture snapshot(LiveCall call, boolean live) {
        return new CallCapture(call.id, call.legs, List.copyOf(call.messages), call.dropped, live);
    }

    /** For tests and metrics: how many Call-IDs wait to be claimed. */
    synchronized int unclaimedCallIds() {
        return unclaimed.size();
    }
}
