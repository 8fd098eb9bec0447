package io.tandem.console.capture;

import io.tandem.softswitch.capture.CaptureSettings;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code tandem.capture.*}: the SIP capture of every call (docs/capture.md).
 *
 * @param enabled            keep every call's signalling (true, the default: it costs +1 to +10 % CPU per call at
 *                           1,000 CPS as measured, docs/performance.md; false: no capture, and no tap on the
 *                           sockets unless the HEP export is on)
 * @param maxMessagesPerCall messages kept per call, the newest
 * @param maxBytesPerCall    octets kept per call, uncompressed
 * @param maxLiveBytes       octets of all calls in progress on this node, uncompressed
 * @param maxStoredBytes     compressed octets of finished calls this node keeps as a capture node
 * @param retention          how long a finished call's capture is kept
 * @param linger             how long after its end a call still collects late retransmissions
 * @param queueCapacity      messages waiting for the capture thread before new ones are dropped
 * @param nodes              the capture nodes, by node id ({@code tandem.node-id}) as named in
 *                           {@code tandem.cluster.peers}; empty: this node keeps its own calls
 * @param hep                the HEP v3 export
 */
@ConfigurationProperties("tandem.capture")
public record CaptureProperties(@DefaultValue("true") boolean enabled,
                                @DefaultValue("200") int maxMessagesPerCall,
                                @DefaultValue("256KB") DataSize maxBytesPerCall,
                                @DefaultValue("64MB") DataSize maxLiveBytes,
                                @DefaultValue("256MB") DataSize maxStoredBytes,
                                @DefaultValue("24h") Duration retention,
                                @DefaultValue("5s") Duration linger,
                                @DefaultValue("65536") int queueCapacity,
                                List<String> nodes,
                                @DefaultValue Hep hep) {

    public CaptureProperties {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /**
     * @param address   the collector, {@code host:port} (UDP); empty: no export
     * @param captureId this node's capture agent id in the collector (HEP chunk 12)
     * @param password  the collector's auth key (HEP chunk 14), or empty
     */
    public record Hep(String address, @DefaultValue("2001") int captureId, String password) {

        public boolean enabled() {
            return address != null && !address.isBlank();
        }
    }

    CaptureSettings settings() {
        return new CaptureSettings(maxMessagesPerCall, Math.toIntExact(maxBytesPerCall.toBytes()), maxLiveBytes.toBytes(),
                maxStoredBytes.toBytes(), retention, linger, queueCapacity);
    }
}
