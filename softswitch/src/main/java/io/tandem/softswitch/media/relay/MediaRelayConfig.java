package io.tandem.softswitch.media.relay;

import java.time.Duration;

/**
 * How a node relays media.
 *
 * @param bindAddress   the local address the relay's sockets are bound to
 * @param publicAddress the address written into SDP; differs from {@code bindAddress} behind a 1:1 NAT
 * @param firstPort     lowest port of the range (default 16384)
 * @param lastPort      highest port of the range (default 32767)
 * @param threads       event loops; each port pair lives on one of them for its whole life
 * @param timeout       no RTP either way for this long after answer ends the call (default 60 s)
 * @param holdTimeout   the same while a side has put the stream on hold (default 1 h)
 * @param relatchAfter  how long the latched source must be silent before another may take its place (default 2 s)
 */
public record MediaRelayConfig(String bindAddress, String publicAddress, int firstPort, int lastPort, int threads,
                               Duration timeout, Duration holdTimeout, Duration relatchAfter) {

    public MediaRelayConfig {
        if (publicAddress == null || publicAddress.isBlank()) {
            publicAddress = bindAddress;
        }
        if (threads <= 0) {
            threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        }
    }

    public static MediaRelayConfig defaults(String bindAddress) {
        return new MediaRelayConfig(bindAddress, bindAddress, 16384, 32767, 0, Duration.ofSeconds(60), Duration.ofHours(1),
                Duration.ofSeconds(2));
    }

    public MediaRelayConfig withPorts(int first, int last) {
        return new MediaRelayConfig(bindAddress, publicAddress, first, last, threads, timeout, holdTimeout, relatchAfter);
    }

    public MediaRelayConfig withTimeouts(Duration noMedia, Duration onHold) {
        return new MediaRelayConfig(bindAddress, publicAddress, firstPort, lastPort, threads, noMedia, onHold, relatchAfter);
    }

    public MediaRelayConfig withPublicAddress(String address) {
        return new MediaRelayConfig(bindAddress, address, firstPort, lastPort, threads, timeout, holdTimeout, relatchAfter);
    }
}
