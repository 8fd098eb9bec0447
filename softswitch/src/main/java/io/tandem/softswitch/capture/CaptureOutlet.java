package io.tandem.softswitch.capture;

import java.util.UUID;

/**
 * Where a finished call's compressed capture goes: this node's {@link CaptureStore}, or the capture
 * node its id hashes to. Called on the capture thread; must not block for long (hand remote
 * deliveries to an asynchronous client).
 */
@FunctionalInterface
public interface CaptureOutlet {

    void deliver(UUID callId, byte[] blob);
}
