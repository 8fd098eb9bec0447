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
    private final java.util.concurrent.ExecutorService bodyReaders = Executors.newVirtualThreadPerTaskExecutor();

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

    /** How long a peer may take to list its calls or report its state before the console shows it offline. */
    public static final Duration PEER_READ_TIMEOUT = Duration.ofMillis(700);

    /** The largest answer read from a peer (10,000 calls are about 4 MB of JSON). */
    public static final int MAX_PEER_ANSWER_BYTES = 32 * 1024 * 1024;

    /** A peer's answer: its HTTP status and body (at most {@link #MAX_PEER_ANSWER_BYTES}). */
    public record PeerAnswer(int status, byte[] body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /** The peer of that name, if configured. */
    public java.util.Optional<TandemProperties.Peer> peer(String name) {
        return peers.stream().filter(peer -> peer.name().equals(name)).findFirst();
    }

    /**
     * Calls one peer's API with its key. Completes exceptionally when the peer does not answer within
     * {@code timeout} or answers more than {@link #MAX_PEER_ANSWER_BYTES}; never blocks the caller.
     *
     * @param method     GET, POST or DELETE
     * @param jsonBody   request body for POST, or null
     * @param onBehalfOf the console user or key this node acts for, or null
     */
    public CompletableFuture<PeerAnswer> call(TandemProperties.Peer peer, String method, String path, String jsonBody,
                                              String onBehalfOf, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stripSlash(peer.url()) + path))
                .timeout(timeout)
                .header("X-Api-Key", peer.apiKey() == null ? "" : peer.apiKey())
                .header("Accept", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (onBehalfOf != null) {
            request.header("X-On-Behalf-Of", onBehalfOf);
        }
        // the whole answer, body included, within the timeout: a peer that trickles its body is as slow as a silent one
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
                .thenApplyAsync(response -> {
                    try (java.io.InputStream body = response.body()) {
                        byte[] bytes = body.readNBytes(MAX_PEER_ANSWER_BYTES + 1);
                        if (bytes.length > MAX_PEER_ANSWER_BYTES) {
                            throw new java.io.UncheckedIOException(new java.io.IOException(
                                    "peer " + peer.name() + " answered more than " + MAX_PEER_ANSWER_BYTES + " bytes"));
                        }
                        return new PeerAnswer(response.statusCode(), bytes);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, bodyReaders)
                .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Why a peer call failed, in words for an operator ("no answer in time", "connection refused"). */
    public static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof java.util.concurrent.TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        if (cause instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
