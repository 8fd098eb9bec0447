package io.tandem.console.cluster;

import io.tandem.console.node.TandemProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The other nodes of the cluster ({@code tandem.cluster.peers}) and the calls this node makes to
 * them. Peer calls carry the peer's {@code X-Api-Key}, run on virtual threads with a short
 * timeout, and never hold up the request that caused them: a dead peer is logged and left to its
 * own version poll.
 */
@Component
public class ClusterPeers {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterPeers.class);

    /** How long one peer call may take before the peer counts as offline. */
    public static final Duration PEER_TIMEOUT = Duration.ofSeconds(2);

    private final List<TandemProperties.Peer> peers;
    private final HttpClient http;

    public ClusterPeers(TandemProperties properties) {
        this.peers = properties.cluster().peers();
        this.http = HttpClient.newBuilder().connectTimeout(PEER_TIMEOUT)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    public List<TandemProperties.Peer> peers() {
        return peers;
    }

    /**
     * Asks every peer to reload its routing table now rather than at its next version poll (after
     * a deck import or a routing change). Completes when every peer answered or timed out.
     */
    public CompletableFuture<Void> pokeAll(String why) {
        CompletableFuture<?>[] calls = peers.stream().map(peer -> poke(peer, why)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(calls);
    }

    private CompletableFuture<Void> poke(TandemProperties.Peer peer, String why) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stripSlash(peer.url()) + "/api/v1/cluster/reload"))
                .timeout(PEER_TIMEOUT)
                .header("X-Api-Key", peer.apiKey() == null ? "" : peer.apiKey())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            if (error != null) {
                LOG.warn("peer {} ({}) not poked after {}: {}; it reloads at its next version poll", peer.name(), peer.url(),
                        why, error.toString());
            } else if (response.statusCode() / 100 != 2) {
                LOG.warn("peer {} ({}) refused the reload poke after {} with HTTP {}; check its API key", peer.name(),
                        peer.url(), why, response.statusCode());
            } else {
                LOG.debug("peer {} poked after {}", peer.name(), why);
            }
            return null;
        });
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
