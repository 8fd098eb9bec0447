package io.tandem.softswitch.capture;

import java.util.List;
import java.util.UUID;

/**
 * Which node keeps a call's capture: a {@link JumpHash} of the call id over the configured capture
 * nodes, in their configured order. Appending a node moves about 1/n of the calls (to it) and no
 * others, so keep the order and add new nodes at the end.
 */
public record CaptureNodes(List<String> nodes) {

    public CaptureNodes {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("at least one capture node");
        }
        nodes = List.copyOf(nodes);
    }

    public String ownerOf(UUID callId) {
        return nodes.get(JumpHash.bucket(key(callId), nodes.size()));
    }

    /** Both halves of the id: random (version 4) ids are spread well either way. */
    static long key(UUID callId) {
        return callId.getMostSignificantBits() ^ Long.rotateLeft(callId.getLeastSignificantBits(), 32);
    }
}
