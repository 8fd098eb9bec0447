package io.tandem.console.media;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Media nodes (docs/media.md, "Media nodes"); the relay's own settings are in {@code TandemProperties.Media}.
 *
 * @param maxSessions  sessions a node with the media role takes from signalling nodes at once (default 5,000)
 * @param nodes        on a {@code tandem.roles=sip} node: the peers ({@code tandem.cluster.peers} names) that are media nodes
 * @param deadAfter    heartbeat silence after which a media node is lost (default 15 s)
 * @param holderTtl    on a media node: control silence after which a signalling node's sessions are released (default 30 s)
 */
@ConfigurationProperties("tandem.media")
public record MediaNodeProperties(@DefaultValue("5000") int maxSessions, @DefaultValue List<String> nodes,
                                  @DefaultValue("15s") Duration deadAfter, @DefaultValue("30s") Duration holderTtl) {
}
