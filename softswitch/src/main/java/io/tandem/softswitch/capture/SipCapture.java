package io.tandem.softswitch.capture;

import io.tandem.softswitch.call.CallEvent;
import io.tandem.softswitch.call.CallObserver;
import io.tandem.softswitch.sip.transport.WireMessage;
import io.tandem.softswitch.sip.transport.WireTap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's SIP capture: a {@link WireTap} on the SIP sockets and a {@link CallObserver} on the
 * calls, both only putting into one bounded queue ({@link CaptureQueue}: never waiting, never waking
 * anyone; a full queue drops and counts). One thread, {@code sip-capture}, collects what is in it every
 * {@link #COLLECT_PAUSE_MILLIS} ms ({@link #IDLE_PAUSE_MILLIS} when it was empty): messages go to the {@link CallCaptureAssembler} and to the HEP
 * export; once a call is over (and has lingered) its capture is compressed ({@link CaptureCodec}) and
 * handed to the {@link CaptureOutlet}.
 */
public final class SipCapture implements WireTap, CallObserver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipCapture.class);
    private static final int BATCH = 512;
    /**
     * How long the capture thread rests once the queue is empty. Collecting in batches instead of
     * being woken per message is what keeps the hand-off cheap; a live call's ladder lags by about this
     * much ({@link #IDLE_PAUSE_MILLIS} after a quiet spell). At 1,000 CPS (about 18 items a call) 100 ms
     * is 1,800 queued items, far below the default capacity of 65,536.
     */
    static final long COLLECT_PAUSE_MILLIS = 10;
    /** The rest after finding the queue empty: an idle node's capture thread wakes 10 times a second, not 100. */
    static final long IDLE_PAUSE_MILLIS = 100;

    private final CallCaptureAssembler assembler;
    private final HepExporter hep;
    private final boolean storing;
    private final CaptureQueue<Object> queue;
    private final LongSupplier nowMillis;
    private final LongAdder queueFull = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final Thread worker;
    private final CaptureCodec.Encoder encoder = new CaptureCodec.Encoder();
    private final boolean enabled;
    private volatile boolean closed;

    /**
     * @param storing keep captures (assemble, compress, deliver); false with a HEP export only
     * @param hep     the HEP export, or null for none
     */
    public SipCapture(CaptureSettings settings, boolean storing, HepExporter hep, CaptureOutlet outlet, LongSupplier nowMillis) {
        this.storing = storing;
        this.hep = hep;
        this.nowMillis = nowMillis;
        this.queue = new CaptureQueue<>(settings.queueCapacity());
        // the assembler hands finished calls over on the capture thread only, so one encoder serves
        this.assembler = new CallCaptureAssembler(settings, nowMillis, capture -> {
            outlet.deliver(capture.callId(), encoder.encode(capture));
            delivered.increment();
        });
        this.enabled = storing || hep != null;
        // switched off: nothing is ever offered, so no thread to wake up for nothing
        this.worker = enabled ? Thread.ofPlatform().name("sip-capture").daemon().start(this::drain) : null;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public void accept(WireMessage message) {
        offer(message);
    }

    @Override
    public void on(CallEvent event) {
        if (storing && !(event instanceof CallEvent.StateChanged)) {
            offer(event);
        }
    }

    private void offer(Object item) {
        if (!queue.offer(item)) {
            queueFull.increment();
        }
    }

    /** A call still in progress (or lingering) on this node, as captured so far. */
    public Optional<CallCapture> live(UUID callId) {
        return assembler.find(callId);
    }

    public CallCaptureAssembler assembler() {
        return assembler;
    }

    /** Messages and events dropped because the capture thread fell behind. */
    public long queueFull() {
        return queueFull.sum();
    }

    /** Finished calls handed to the outlet. */
    public long delivered() {
        return delivered.sum();
    }

    public HepExporter hep() {
        return hep;
    }

    private void drain() {
        long nextTick = nowMillis.getAsLong() + 1_000;
        while (!closed) {
            int taken = queue.drain(this::handleOne, BATCH);
            long now = nowMillis.getAsLong();
            if (now >= nextTick) {
                nextTick = now + 1_000;
                if (storing) {
                    tickOnce();
                }
            }
            if (taken == 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(IDLE_PAUSE_MILLIS));
            } else if (taken < BATCH) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(COLLECT_PAUSE_MILLIS));
            }
        }
    }

    private void handleOne(Object item) {
        try {
            handle(item);
        } catch (RuntimeException e) {
            // one bad item must not stop the capture of every later call
            LOG.error("SIP capture failed on an item; going on with the next", e);
        }
    }

    private void tickOnce() {
        try {
            assembler.tick();
        } catch (RuntimeException e) {
            LOG.error("SIP capture failed finishing calls; trying again at the next tick", e);
        }
    }

    private void handle(Object item) {
        switch (item) {
            case WireMessage m -> {
                if (storing) {
                    assembler.accept(m);
                }
                if (hep != null) {
                    hep.export(m);
                }
            }
            case CallEvent e -> assembler.on(e);
            default -> throw new IllegalStateException("unexpected capture item " + item.getClass());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (worker != null) {
            LockSupport.unpark(worker);
            try {
                worker.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        encoder.close();
        if (hep != null) {
            hep.close();
        }
    }
}
